package io.raftboot.core.loop;

import java.time.Duration;

/**
 * A named role this node holds (issue 16), as one value: the role, its fencing token and the
 * {@link System#nanoTime()} until which the hold is proven. Read it from one {@link RaftStatus}
 * with {@link RaftStatus#roleLease(String)}, like {@link LeaderLease}: the token and the deadline
 * then belong together.
 *
 * @param role the role's name
 * @param token the log index of the grant: it strictly increases from one holder of the role to
 *     the next, so pass it to a store that rejects writes with an older token
 * @param validUntilNanos the {@link System#nanoTime()} at which the hold ends unless renewed
 */
public record RoleLease(String role, long token, long validUntilNanos) {

    /** The token, under the name a fenced store knows it by. */
    public long fencingToken() {
        return token;
    }

    /** Whether the hold is still proven at {@code nanos} ({@link System#nanoTime()}). */
    public boolean holdsAt(long nanos) {
        return nanos - validUntilNanos < 0;
    }

    /** What is left by the deadline now; {@link Duration#ZERO} once it passed. */
    public Duration remaining() {
        long left = validUntilNanos - System.nanoTime();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }
}
