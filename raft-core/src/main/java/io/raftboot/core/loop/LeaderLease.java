package io.raftboot.core.loop;

import java.time.Duration;

/**
 * A leader lease as one value: the term it was won in (the fencing token) and the
 * {@link System#nanoTime()} until which it holds. Read both from one {@link RaftStatus} with
 * {@link RaftStatus#lease()}: reading the term and the lease apart can pair this lease with the
 * next leadership's term. The value does not follow the node afterwards: to know whether this
 * lease still holds later, read the lease again (it is empty, or of another term, once it ended).
 *
 * @param term the term of the leadership that holds the lease; send it as the fencing token
 * @param validUntilNanos the {@link System#nanoTime()} at which the lease ends
 */
public record LeaderLease(long term, long validUntilNanos) {

    /** The term, under the name a fenced store knows it by. */
    public long fencingToken() {
        return term;
    }

    /**
     * What is left of this lease by its deadline now; {@link Duration#ZERO} once that passed. The
     * lease can end earlier (a handover, a newer term): before a side effect that starts long after
     * this read, read {@code lease()} again and compare the term.
     */
    public Duration remaining() {
        long left = validUntilNanos - System.nanoTime();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }
}
