package io.raftboot.samples.scheduler.probe;

import io.raftboot.core.loop.RoleLease;
import io.raftboot.core.node.RoleGrant;
import io.raftboot.spring.autoconfigure.RaftProperties;
import io.raftboot.spring.leadership.LeadershipService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link LeaseProbe} of the named roles (issue 16): about every millisecond, on its own daemon
 * thread, reads {@link LeadershipService#roleLease(String)} for each role of the sample (the
 * answer of {@code isLeader(role)} and its fencing token in one read) and writes what changed to
 * {@code <raft.data-dir>/role-probe.log} ({@link RoleProbeLog}), for the fault test that checks
 * from outside the processes that no two nodes ever hold one role at the same instant.
 *
 * <p>The file's rules are the lease probe's, per role: the first observation of each role is
 * written, then every change of the answer, and a change of token while holding; a {@code true}
 * line is stamped before the read and a {@code false} line after it; after a gap in sampling of
 * more than {@link ProbeThread#GAP_NANOS} (SIGSTOP) an unchanged {@code true} is written again; it
 * runs until the process exits, and a read that throws (the context is closed) counts as {@code
 * false}. A {@code true} line carries the token of the hold; a {@code false} line the token of the
 * grant this node knows for the role (held by another node, or 0 when it knows none), which only
 * helps a human reading the file.
 */
public final class RoleProbe {

    private static final Logger LOG = LoggerFactory.getLogger(RoleProbe.class);

    /** What was last written for one role (probe thread only). */
    private static final class Last {
        boolean observed;
        boolean held;
        long token;
        long sampleNanos;
    }

    private final LeadershipService leadership;
    private final RoleProbeLog log;
    private final String nodeId;
    private final List<String> roles;
    private final Path file;
    private final Map<String, Last> last = new HashMap<>();

    RoleProbe(LeadershipService leadership, RoleProbeLog log, String nodeId, List<String> roles, Path file) {
        this.leadership = leadership;
        this.log = log;
        this.nodeId = nodeId;
        this.roles = List.copyOf(roles);
        this.file = file;
        this.roles.forEach(role -> last.put(role, new Last()));
    }

    /** Opens {@code <raft.data-dir>/role-probe.log} for appending. */
    public static RoleProbe create(LeadershipService leadership, RaftProperties properties, List<String> roles) {
        Path file = properties.resolvedDataDir().resolve(RoleProbeLog.FILE_NAME);
        try {
            return new RoleProbe(leadership, new RoleProbeLog(file), leadership.nodeId(), roles, file);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot open the role probe's file " + file.toAbsolutePath()
                            + ": check that raft.data-dir is writable, or set sample.lease-probe=false",
                    e);
        }
    }

    /** Starts the sampler thread (a daemon: it never keeps the JVM alive). */
    public Thread start() {
        Thread thread = ProbeThread.start("role-probe", this::sample, file);
        LOG.info("Role probe of node {} writes the roles {} to {}", nodeId, roles, file.toAbsolutePath());
        return thread;
    }

    void sample() throws IOException {
        for (String role : roles) {
            long before = System.nanoTime();
            Optional<RoleLease> lease;
            try {
                // One read: the answer and the token belong to the same hold.
                lease = leadership.roleLease(role);
            } catch (RuntimeException e) {
                // After the context closed the beans may refuse; whatever this node held, it holds no more.
                lease = Optional.empty();
            }
            long after = System.nanoTime();
            observe(role, before, after, lease.map(RoleLease::token).orElse(0L), lease.isPresent());
        }
    }

    /**
     * Writes the sample of {@code role} taken between {@code before} and {@code after} if the
     * file's rules say so; {@code token} is the hold's when {@code held}, ignored otherwise.
     */
    void observe(String role, long before, long after, long token, boolean held) throws IOException {
        Last l = last.get(role);
        boolean gap = l.observed && after - l.sampleNanos > ProbeThread.GAP_NANOS;
        boolean changed = !l.observed || held != l.held || (held && token != l.token);
        if (changed || (gap && held)) {
            long lineToken = held ? token : grantedToken(role);
            log.append(held ? before : after, nodeId, role, lineToken, held);
            l.token = lineToken;
        }
        l.observed = true;
        l.held = held;
        l.sampleNanos = after;
    }

    /** The token of the grant of {@code role} this node knows, 0 if none (read only for a false line). */
    private long grantedToken(String role) {
        try {
            RoleGrant grant = leadership.roleAssignments().get(role);
            return grant == null ? 0 : grant.token();
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
