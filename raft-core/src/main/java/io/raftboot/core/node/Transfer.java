package io.raftboot.core.node;

/**
 * One leadership transfer under way (thesis §3.10): its target, the ticks it has run (it is
 * abandoned after an election timeout), and whether TimeoutNow went to this target.
 */
final class Transfer {

    private final String target;
    private int elapsed;
    private boolean timeoutNowSent;

    Transfer(String target) {
        this.target = target;
    }

    String target() {
        return target;
    }

    /** Counted ticks until {@link #tickExpired(int)} first answers true for {@code limit}, at least 1. */
    int ticksLeft(int limit) {
        return Math.max(1, limit - elapsed);
    }

    /** Counts one tick; whether the transfer has run for {@code limit} ticks. */
    boolean tickExpired(int limit) {
        return ++elapsed >= limit;
    }

    boolean timeoutNowSent() {
        return timeoutNowSent;
    }

    void markTimeoutNowSent() {
        timeoutNowSent = true;
    }
}
