package io.raftboot.spring.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.raftboot.spring.grpc.security.RefusalReason;
import io.raftboot.spring.grpc.security.RequestRefusals;

/**
 * {@code raft.requests.refused} (tags {@code node}, {@code reason}): peer requests this node
 * refused, one counter per {@link RefusalReason}, read from {@link RequestRefusals}.
 */
public class RaftSecurityMetrics implements MeterBinder {

    private final RequestRefusals refusals;

    public RaftSecurityMetrics(RequestRefusals refusals) {
        this.refusals = refusals;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (RefusalReason reason : RefusalReason.values()) {
            FunctionCounter.builder("raft.requests.refused", refusals, r -> r.count(reason))
                    .tag("node", refusals.nodeId())
                    .tag("reason", reason.tag())
                    .description(
                            "Raft requests from peers that this node refused, and peer certificates and replies it refused as a client, by reason")
                    .register(registry);
        }
    }
}
