package io.raftboot.core.loop;

import java.time.Duration;

/**
 * A leader lease as one value: the term it was won in (the fencing token) and the
 * {@link System#nanoTime()} until which it holds. Read both from one {@link RaftStatus} with
 * {@link RaftStatus#lease()}: reading the term and the lease apart can pair this lease with the
 * next leadership's term.
 *
 * @param term the term of the leadership that holds the lease; send it as the fencing token
 * @param validUntilNanos the {@link System#nanoTime()} at which the lease ends
 */
public record LeaderLease(long term, long validUntilNanos) {

    /** The term, under the name a fenced store knows it by. */
    public long fencingToken() {
        return term;
    }

    /** Whether the lease still holds now; check it again right before each side effect. */
    public boolean isValid() {
        return System.nanoTime() - validUntilNanos < 0;
    }

    /** What is left of the lease now; {@link Duration#ZERO} once it ended. */
    public Duration remaining() {
        long left = validUntilNanos - System.nanoTime();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }
}
