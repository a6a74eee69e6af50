package io.raftboot.core.sim;

import io.raftboot.core.node.RaftNode;
import io.raftboot.core.node.Role;

/**
 * Checks {@link RaftNode#ticksUntilNextEvent()} on every tick of the simulation: a tick the node
 * announced as not yet due (the answer was more than 1) must do nothing a driver has to act on
 * (no Ready; role, term, leader, commit, log, lease and transfer as before). A driver sleeps
 * through such ticks and catches them up later, so one that did something would be late by up
 * to the sleep. Reads the node only: the simulation's randomness and output do not change.
 */
final class QuietTickOracle {

    private record Seen(
            Role role,
            long term,
            String leader,
            long commit,
            long lastIndex,
            boolean lease,
            boolean transferring,
            long membershipIndex) {

        static Seen of(RaftNode n) {
            return new Seen(
                    n.role(),
                    n.term(),
                    n.leaderId(),
                    n.commitIndex(),
                    n.lastIndex(),
                    n.leaseValid(),
                    n.isTransferringLeadership(),
                    n.membershipIndex());
        }
    }

    private QuietTickOracle() {}

    /** Ticks {@code node} once, failing if the tick was announced quiet and was not. */
    static void tick(RaftNode node) {
        long due = node.ticksUntilNextEvent();
        if (due < 1) {
            throw new AssertionError(node.id() + ": ticksUntilNextEvent() = " + due + " < 1: " + node);
        }
        boolean readyBefore = node.hasReady();
        Seen before = Seen.of(node);
        node.tick();
        if (due == 1) {
            return;
        }
        Seen after = Seen.of(node);
        if (!before.equals(after) || !readyBefore && node.hasReady()) {
            throw new AssertionError(node.id() + " at tick " + node.ticks() + ": a tick announced quiet (next event in "
                    + due + " ticks) did something: " + before + " -> " + after + ", ready " + node.hasReady()
                    + ": " + node);
        }
    }
}
