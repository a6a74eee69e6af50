package io.raftboot.spring.grpc.security;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts refused peer requests by {@link RefusalReason} (plain counters; {@code RaftSecurityMetrics}
 * exposes them as {@code raft.requests.refused} when Micrometer is present) and logs each
 * distinct refusal once at WARN. The set of refusals already logged is bounded, so a flood of
 * made-up senders cannot grow memory: past {@link #MAX_LOGGED_KEYS} distinct ones, refusals are
 * only counted (and that is logged once).
 */
public final class RequestRefusals {

    private static final Logger LOG = LoggerFactory.getLogger(RequestRefusals.class);

    /** Distinct refusals remembered as already logged. */
    static final int MAX_LOGGED_KEYS = 1024;

    private final String nodeId;
    private final Map<RefusalReason, AtomicLong> counts = new EnumMap<>(RefusalReason.class);
    private final Set<String> logged = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean saturationLogged = new AtomicBoolean();

    public RequestRefusals(String nodeId) {
        this.nodeId = nodeId;
        for (RefusalReason r : RefusalReason.values()) {
            counts.put(r, new AtomicLong());
        }
    }

    /**
     * Records a refusal and logs it the first time {@code key} is seen.
     *
     * @param key what makes a refusal distinct for logging (reason, sender, ...); untrusted input
     *     is fine, it is only used as a set element
     * @param description what happened and what to do; must not contain secrets
     */
    public void refuse(RefusalReason reason, String key, String description) {
        counts.get(reason).incrementAndGet();
        String k = reason.tag() + "/" + key;
        if (logged.contains(k)) {
            return;
        }
        if (logged.size() >= MAX_LOGGED_KEYS) {
            if (saturationLogged.compareAndSet(false, true)) {
                LOG.warn(
                        "Node '{}' has refused {} distinct kinds of Raft requests; further ones are only counted in raft.requests.refused",
                        nodeId,
                        MAX_LOGGED_KEYS);
            }
            return;
        }
        if (logged.add(k)) {
            LOG.warn("Node '{}' refused a Raft request [{}]: {} (logged once)", nodeId, reason.tag(), description);
        }
    }

    /** Requests refused for {@code reason} so far. */
    public long count(RefusalReason reason) {
        return counts.get(reason).get();
    }

    /** Requests refused so far, all reasons. */
    public long total() {
        return counts.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public String nodeId() {
        return nodeId;
    }
}
