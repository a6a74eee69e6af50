package io.raftboot.spring.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.raftboot.core.loop.RaftLoop;
import io.raftboot.core.loop.RaftStatus;
import io.raftboot.spring.leadership.RaftRoleEvent;
import io.raftboot.spring.leadership.RoleGrantedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Meters of the named roles (issue 16), tag {@code node} on all, as {@link RaftMetrics}:
 * {@code raft.roles.held} (roles this node holds with a valid lease now) and
 * {@code raft.roles.changes} (grants and revocations seen here; tags {@code role} and
 * {@code change}={@code granted}|{@code revoked}). Counted from the role events, so a counter
 * moves exactly when {@code @OnLeader(role)} / {@code @OnLeaderRevoked(role)} methods are called.
 */
public class RoleMetrics implements MeterBinder, ApplicationListener<RaftRoleEvent> {

    private final RaftLoop loop;
    private volatile MeterRegistry registry;

    public RoleMetrics(RaftLoop loop) {
        this.loop = loop;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("raft.roles.held", loop, l -> heldNow(l.status()))
                .tag("node", loop.nodeId())
                .description("Named roles this node holds with a valid lease")
                .register(registry);
    }

    private static int heldNow(RaftStatus status) {
        return (int) status.roles().keySet().stream().filter(status::holdsRole).count();
    }

    @Override
    public void onApplicationEvent(RaftRoleEvent event) {
        MeterRegistry r = registry;
        if (r == null) {
            return;
        }
        Counter.builder("raft.roles.changes")
                .tag("node", loop.nodeId())
                .tag("role", event.getRole())
                .tag("change", event instanceof RoleGrantedEvent ? "granted" : "revoked")
                .description("Named roles granted to and revoked from this node")
                .register(r)
                .increment();
    }
}
