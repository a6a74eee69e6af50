package io.raftboot.core.loop;

import io.raftboot.core.node.HeldRole;
import io.raftboot.core.node.PeerStatus;
import io.raftboot.core.node.ProtocolSettings;
import io.raftboot.core.node.RaftNode;
import io.raftboot.core.node.Role;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The {@link RaftStatus} other threads read, and the listeners told when it changes: built by the
 * loop thread from the node, with the lease mapped from ticks to real time. What
 * {@code isLeader()} answers comes from here, so the order of publication is a safety rule:
 * a lease that ended or shrank is published before the messages that may let another node
 * start its own ({@link #publishLeaseLossBeforeSending}).
 */
final class StatusPublisher {

    private static final System.Logger LOG = System.getLogger(RaftLoop.class.getName());
    /** Tick start times kept for the lease; a lease never spans more than electionTicks ticks. */
    private static final int TICK_RING = 1024;
    /** How stale the per-peer part of the status may get: 10 ticks (100 ms by default). */
    static final int PEERS_REFRESH_TICKS = 10;

    private final String nodeId;
    private final ProtocolSettings settings;
    private final long tickIntervalNanos;
    private final Listeners listeners;
    private final long[] tickNanos = new long[TICK_RING];
    private volatile RaftStatus status;
    /** The tick at which the status' per-peer part was last built. */
    private long peersBuiltAtTick = Long.MIN_VALUE / 2;
    /** {@link RaftStatus#holdsLease()} as last told to the listeners. */
    private boolean leaseNotified;
    /** The named roles held as last told to the listeners. */
    private Set<String> rolesNotified = Set.of();
    /** What of the lease is published, and how close its renewals come to its end. */
    private final LeaseHysteresis hysteresis;

    private final LongSupplier clock;

    StatusPublisher(
            String nodeId, ProtocolSettings settings, long tickIntervalNanos, Listeners listeners, LongSupplier clock) {
        this.nodeId = nodeId;
        this.clock = clock;
        this.settings = settings;
        this.tickIntervalNanos = tickIntervalNanos;
        this.listeners = listeners;
        this.hysteresis = new LeaseHysteresis(
                nodeId, settings.leaseTicks() * tickIntervalNanos, settings.heartbeatTicks() * tickIntervalNanos);
        this.status = new RaftStatus(
                nodeId, idleRole(), 0, null, 0, 0, 0, Long.MIN_VALUE, List.of(), settings.membership(), 0, Map.of());
    }

    /** The status as last published; any thread. */
    RaftStatus status() {
        return status;
    }

    /** Tick {@code tick} started at {@code nanos} (System.nanoTime()). */
    void ticked(long tick, long nanos) {
        tickNanos[(int) (tick % TICK_RING)] = nanos;
    }

    /** Sets the first status after recovery, telling nobody (no listener can be registered for it yet to matter). */
    void initial(RaftNode node, long lastApplied) {
        status = current(node, lastApplied);
    }

    /**
     * The status after this iteration. The per-peer part is rebuilt only when the role or term
     * changed or {@link #PEERS_REFRESH_TICKS} passed: building it on every iteration (a hundred
     * times a second when idle, when the loop still woke at every tick) was the largest cost of
     * an idle loop, and it is only shown.
     */
    RaftStatus current(RaftNode node, long lastApplied) {
        RaftStatus previous = status;
        List<PeerState> peers = previous.peers();
        if (node.ticks() - peersBuiltAtTick >= PEERS_REFRESH_TICKS
                || previous.role() != node.role()
                || previous.term() != node.term()) {
            peersBuiltAtTick = node.ticks();
            peers = new ArrayList<>();
            for (PeerStatus p : node.peers()) {
                long contactMillis =
                        p.ticksSinceContact() < 0 ? -1 : p.ticksSinceContact() * tickIntervalNanos / 1_000_000;
                peers.add(new PeerState(p.id(), p.voter(), p.matchIndex(), contactMillis));
            }
        }
        return new RaftStatus(
                nodeId,
                node.role(),
                node.term(),
                node.leaderId(),
                node.commitIndex(),
                lastApplied,
                node.lastIndex(),
                publishableLease(node, previous),
                peers,
                node.membership(),
                node.membershipIndex(),
                heldRoles(node));
    }

    /** The roles the node holds, each mapped from its start tick to real time like the lease. */
    private Map<String, RoleLease> heldRoles(RaftNode node) {
        List<HeldRole> held = node.heldRoles();
        if (held.isEmpty()) {
            return Map.of();
        }
        Map<String, RoleLease> roles = new TreeMap<>();
        for (HeldRole h : held) {
            if (node.ticks() - h.startTick() < TICK_RING) {
                long until = tickNanos[(int) (h.startTick() % TICK_RING)] + h.ticks() * tickIntervalNanos;
                roles.put(h.role(), new RoleLease(h.role(), h.token(), until));
            }
        }
        return roles;
    }

    /**
     * Publishes at once a status whose lease ended or got shorter (a transfer began, the node
     * stepped down or saw a newer term), before any message of the Ready leaves: one of them may
     * be the TimeoutNow or the vote that lets another node start its own lease, and what
     * {@link RaftLoop#holdsLease()} answers must never outlive the node's lease. Without it the
     * old status stayed up through the fsync, the apply and a snapshot, so a pause there (GC, a
     * slow disk) gave two nodes whose {@code isLeader()} was true at the same instant.
     */
    void publishLeaseLossBeforeSending(RaftNode node, long lastApplied) {
        long published = status.leaseValidUntilNanos();
        if (published != Long.MIN_VALUE) {
            long lease = node.role() == Role.LEADER ? leaseValidUntilNanos(node) : Long.MIN_VALUE;
            if (lease == Long.MIN_VALUE || lease - published < 0) {
                publish(current(node, lastApplied));
                return;
            }
        }
        if (!status.roles().isEmpty() && rolesShrank(status.roles(), heldRoles(node))) {
            // A released role: the response that tells the leader so may let it move the role.
            publish(current(node, lastApplied));
        }
    }

    private static boolean rolesShrank(Map<String, RoleLease> published, Map<String, RoleLease> now) {
        for (RoleLease before : published.values()) {
            RoleLease after = now.get(before.role());
            if (after == null
                    || after.token() != before.token()
                    || after.validUntilNanos() - before.validUntilNanos() < 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * A stopped node leads nothing: the last status keeps its term and indexes, without role,
     * leader or lease. {@code lastApplied} is the loop's own: entries applied in the iteration that
     * saw the close were not published yet, and whoever waits for them is told now.
     */
    void publishStopped(long lastApplied) {
        RaftStatus last = status;
        publish(new RaftStatus(
                nodeId,
                idleRole(),
                last.term(),
                null,
                last.commitIndex(),
                lastApplied,
                last.lastIndex(),
                Long.MIN_VALUE,
                List.of(),
                last.membership(),
                last.membershipIndex(),
                Map.of()));
    }

    /** The node's lease as {@link LeaseHysteresis} lets it be published after {@code previous}. */
    private long publishableLease(RaftNode node, RaftStatus previous) {
        boolean sameLeadership = previous.role() == Role.LEADER && previous.term() == node.term();
        return hysteresis.publishable(
                node.term(),
                sameLeadership ? previous.leaseValidUntilNanos() : Long.MIN_VALUE,
                node.role() == Role.LEADER ? leaseValidUntilNanos(node) : Long.MIN_VALUE,
                clock.getAsLong());
    }

    LeaseHysteresis hysteresis() {
        return hysteresis;
    }

    /**
     * The lease in real time: when the loop ticked the tick at which the heartbeat a quorum
     * acknowledged was sent (the heartbeat left after that), plus the lease's length in tick
     * intervals. Only the followers' clocks bound it (their stickiness promise, thesis §6.4.1):
     * the loop never runs a node's ticks ahead of real time, see {@link RaftLoop}.
     */
    private long leaseValidUntilNanos(RaftNode node) {
        long start = node.leaseStartTick();
        if (start < 0 || node.ticks() - start >= TICK_RING) {
            return Long.MIN_VALUE;
        }
        return tickNanos[(int) (start % TICK_RING)] + settings.leaseTicks() * tickIntervalNanos;
    }

    void publish(RaftStatus current) {
        RaftStatus previous = status;
        status = current;
        boolean holdsLease = current.holdsLeaseAt(clock.getAsLong());
        // Also a lease that ran out since the last status and holds again (the loop stalled past
        // its end): a listener checking at the lease's end saw it lapse and must see it again.
        boolean leaseFlipped = holdsLease != leaseNotified || holdsLease && !previous.holdsLeaseAt(clock.getAsLong());
        leaseNotified = holdsLease;
        boolean roleChanged = previous.role() != current.role()
                || previous.term() != current.term()
                || !Objects.equals(previous.leaderId(), current.leaderId());
        // A new configuration is news too: the transport must reach (and admit) its members.
        boolean membershipChanged = previous.membershipIndex() != current.membershipIndex()
                || !previous.membership().equals(current.membership());
        // Named roles held or not, as the listeners last heard: gained, lost, or lapsed and back.
        Set<String> rolesHeld = current.rolesHeldAt(clock.getAsLong());
        boolean rolesFlipped = !rolesHeld.equals(rolesNotified);
        rolesNotified = rolesHeld;
        if (roleChanged || membershipChanged || leaseFlipped || rolesFlipped) {
            if (roleChanged) {
                LOG.log(
                        Level.INFO,
                        "node {0}: term {1}: {2}, leader {3}",
                        nodeId,
                        current.term(),
                        current.role(),
                        current.leaderId() == null ? "unknown" : current.leaderId());
            }
            listeners.stateChanged(previous, current);
        }
        // Told after `status` shows it (waits for "applied up to i" read it there).
        if (current.lastApplied() != previous.lastApplied()) {
            listeners.appliedUpTo(current.lastApplied());
        }
    }

    private Role idleRole() {
        return settings.membership().isVoter(nodeId) ? Role.FOLLOWER : Role.LEARNER;
    }
}
