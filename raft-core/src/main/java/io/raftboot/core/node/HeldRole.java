package io.raftboot.core.node;

/**
 * A role this node holds now, in its own ticks: it holds {@code role} with fencing token
 * {@code token} until tick {@code startTick + ticks}. The driver maps {@code startTick} to the
 * real time at which it ran that tick, as for the leader lease, so the deadline in real time
 * never comes later than the one the protocol's argument allows (docs/protocol.md, "Named roles").
 */
public record HeldRole(String role, long token, long startTick, long ticks) {

    /** The tick at which the hold ends. */
    public long endTick() {
        return startTick + ticks;
    }
}
