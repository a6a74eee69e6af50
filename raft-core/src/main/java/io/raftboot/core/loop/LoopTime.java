package io.raftboot.core.loop;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The driver's clock and its one way of waiting: for the next input on its inbox, or until a
 * deadline. {@link #SYSTEM} in production; a test replaces it to count and time the loop's
 * wake-ups without sleeping.
 */
interface LoopTime {

    /** Monotonic time in nanoseconds, like {@link System#nanoTime()}. */
    long nanoTime();

    /**
     * The next input of {@code inbox}, waiting at most {@code timeoutNanos} ({@link Long#MAX_VALUE}:
     * no deadline); {@code null} if none came by then.
     */
    Object poll(BlockingQueue<Object> inbox, long timeoutNanos) throws InterruptedException;

    LoopTime SYSTEM = new LoopTime() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Object poll(BlockingQueue<Object> inbox, long timeoutNanos) throws InterruptedException {
            return inbox.poll(timeoutNanos, TimeUnit.NANOSECONDS);
        }
    };
}
