package io.raftboot.core.loop;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongUnaryOperator;

/**
 * A {@link LoopTime} in which waiting takes no real time: a wait that no input ends moves the
 * clock to its deadline (plus whatever lateness the test asks for) and is recorded as a wake-up.
 * An input already queued is returned at once, as a real wait would. After {@code maxWakeUps}
 * the loop waits for real, for an input (the close) only, so a test reads a finished timeline.
 */
final class FakeLoopTime implements LoopTime {

    /** Where fake time starts: far from 0 and from overflow, like System.nanoTime(). */
    static final long START = 1_000_000_000_000L;

    private final int maxWakeUps;
    /** Lateness of a wake-up, given the instant it was due. */
    private final LongUnaryOperator lateness;

    private volatile long now = START;
    /** The instants at which the loop woke because its wait ran out. */
    final List<Long> wakeUps = new CopyOnWriteArrayList<>();
    /** Inputs that arrive at a given instant during a wait, as from another thread. */
    private final ConcurrentSkipListMap<Long, Object> arrivals = new ConcurrentSkipListMap<>();

    FakeLoopTime(int maxWakeUps, LongUnaryOperator lateness) {
        this.maxWakeUps = maxWakeUps;
        this.lateness = lateness;
    }

    FakeLoopTime(int maxWakeUps) {
        this(maxWakeUps, due -> 0);
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public Object poll(BlockingQueue<Object> inbox, long timeoutNanos) throws InterruptedException {
        Object input = inbox.poll();
        if (input != null) {
            return input;
        }
        if (wakeUps.size() >= maxWakeUps) {
            return inbox.take();
        }
        Map.Entry<Long, Object> arrival = arrivals.firstEntry();
        if (arrival != null && (timeoutNanos == Long.MAX_VALUE || arrival.getKey() - now <= timeoutNanos)) {
            arrivals.remove(arrival.getKey());
            now = Math.max(now, arrival.getKey());
            return arrival.getValue();
        }
        if (timeoutNanos == Long.MAX_VALUE) {
            return inbox.take();
        }
        long due = now + timeoutNanos;
        now = due + lateness.applyAsLong(due);
        wakeUps.add(now);
        return null;
    }

    /** {@code input} arrives at {@code instant}, waking the loop if it waits then. */
    void arriveAt(long instant, Object input) {
        arrivals.put(instant, input);
    }

    boolean finished() {
        return wakeUps.size() >= maxWakeUps;
    }
}
