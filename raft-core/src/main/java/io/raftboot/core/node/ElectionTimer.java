package io.raftboot.core.node;

import java.util.random.RandomGenerator;

/**
 * A follower's election timer (§5.2): it campaigns after hearing no leader, and granting no vote,
 * for a timeout drawn at random from [T, 2T) so that split votes are rare. Hearing the leader or
 * granting a vote restarts the count without drawing a new timeout; a role change draws one.
 */
final class ElectionTimer {

    private final int electionTicks;
    private final RandomGenerator random;
    private int elapsed;
    private int timeout;

    ElectionTimer(int electionTicks, RandomGenerator random) {
        this.electionTicks = electionTicks;
        this.random = random;
        reset();
    }

    /** Starts over with a new random timeout. */
    void reset() {
        elapsed = 0;
        timeout = electionTicks + random.nextInt(electionTicks);
    }

    /** Starts over with the same timeout. */
    void restart() {
        elapsed = 0;
    }

    /** Ticks until {@link #tickExpired()} first answers true: the k-th call from now, at least 1. */
    int ticksLeft() {
        return Math.max(1, timeout - elapsed);
    }

    /** Counts one tick; whether the timeout has run out. */
    boolean tickExpired() {
        return ++elapsed >= timeout;
    }
}
