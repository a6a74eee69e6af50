package io.raftboot.spring.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.raftboot.core.loop.RaftListener;
import io.raftboot.core.loop.RaftLoop;
import io.raftboot.core.loop.RaftStatus;
import io.raftboot.core.node.Role;
import io.raftboot.core.store.ConfigStore;
import io.raftboot.spring.annotation.LeaderOnlySkips;
import io.raftboot.spring.config.WriteObserver;
import io.raftboot.spring.grpc.PeerContacts;
import io.raftboot.spring.leadership.LeadershipListener;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's Micrometer meters (tag {@code node} on all):
 * {@code raft.term}, {@code raft.role} (one gauge per role, 1 for the current one),
 * {@code raft.elections} (campaigns this node started), {@code raft.leader.changes} (new
 * leaderships seen), {@code raft.commit.latency} (config writes, submission to commit),
 * {@code raft.config.version}, {@code raft.peer.heartbeat.rtt} and {@code raft.peer.round.trip}
 * (smoothed, seconds; tag {@code peer}),
 * {@code raft.leader.only.skipped}, {@code raft.lease.renewal.margin} (ms the leader lease had
 * left at its latest renewal, negative when it had lapsed; NaN before any) and
 * {@code raft.lease.lapses} (renewals that came after the lease had run out): how close the round
 * trip runs to the lease (docs/operations.md, the envelope).
 */
public class RaftMetrics implements MeterBinder, RaftListener, LeadershipListener, WriteObserver {

    private final RaftLoop loop;
    private final ConfigStore store;
    private final PeerContacts contacts;
    private final LeaderOnlySkips skips;
    private final AtomicLong elections = new AtomicLong();
    private final AtomicLong leaderChanges = new AtomicLong();
    private final java.util.Set<String> roundTripGauges = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile MeterRegistry registry;
    private volatile Timer commitLatency;

    public RaftMetrics(RaftLoop loop, ConfigStore store, PeerContacts contacts, LeaderOnlySkips skips) {
        this.loop = loop;
        this.store = store;
        this.contacts = contacts;
        this.skips = skips;
        loop.addListener(this);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        String node = loop.nodeId();
        Gauge.builder("raft.term", loop, l -> l.status().term())
                .tag("node", node)
                .description("Current Raft term of this node")
                .register(registry);
        for (Role role : Role.values()) {
            Gauge.builder("raft.role", loop, l -> l.status().role() == role ? 1 : 0)
                    .tag("node", node)
                    .tag("role", role.name())
                    .description("1 for this node's current Raft role, 0 for the others")
                    .register(registry);
        }
        Gauge.builder("raft.config.version", store, ConfigStore::configVersion)
                .tag("node", node)
                .description("Changes applied to the replicated config on this node")
                .register(registry);
        Gauge.builder(
                        "raft.lease.renewal.margin",
                        loop,
                        l -> l.leaseRenewalMargin().map(m -> m.toNanos() / 1e6).orElse(Double.NaN))
                .tag("node", node)
                .baseUnit("milliseconds")
                .description("What the leader lease had left when it was last renewed; negative: it had lapsed")
                .register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("raft.lease.lapses", loop, RaftLoop::leaseLapses)
                .tag("node", node)
                .description("Renewals of the leader lease that came after it had run out")
                .register(registry);
        registerCounter("raft.elections", elections, "Elections (campaigns) this node started");
        registerCounter("raft.leader.changes", leaderChanges, "New leaderships this node learned of");
        commitLatency = Timer.builder("raft.commit.latency")
                .tag("node", node)
                .description("Config writes from submission to commit")
                .register(registry);
        contacts.addRoundTripListener((peer, rtt) -> Timer.builder("raft.peer.heartbeat.rtt")
                .tag("node", node)
                .tag("peer", peer)
                .description("Round trip of AppendEntries (heartbeats) to a peer")
                .register(registry)
                .record(rtt));
        contacts.addRoundTripListener((peer, rtt) -> {
            if (roundTripGauges.add(peer)) {
                Gauge.builder("raft.peer.round.trip", contacts, c -> c.smoothedRoundTripSeconds(peer))
                        .tag("node", node)
                        .tag("peer", peer)
                        .baseUnit("seconds")
                        .description("Smoothed round trip of AppendEntries to a peer (moving average, gain 1/8)")
                        .register(registry);
            }
        });
        if (skips != null) {
            io.micrometer.core.instrument.FunctionCounter.builder(
                            "raft.leader.only.skipped", skips, LeaderOnlySkips::count)
                    .tag("node", node)
                    .description("@LeaderOnly calls skipped because this node was not the leader")
                    .register(registry);
        }
    }

    private void registerCounter(String name, AtomicLong value, String description) {
        io.micrometer.core.instrument.FunctionCounter.builder(name, value, AtomicLong::get)
                .tag("node", loop.nodeId())
                .description(description)
                .register(registry);
    }

    @Override
    public void onStateChange(RaftStatus previous, RaftStatus current) {
        if (current.role() == Role.CANDIDATE && previous.role() != Role.CANDIDATE) {
            elections.incrementAndGet();
        }
    }

    @Override
    public void onLeaderChanged(String leaderId, long term) {
        leaderChanges.incrementAndGet();
    }

    @Override
    public void committed(Duration latency) {
        Timer timer = commitLatency;
        if (timer != null) {
            timer.record(latency);
        }
    }
}
