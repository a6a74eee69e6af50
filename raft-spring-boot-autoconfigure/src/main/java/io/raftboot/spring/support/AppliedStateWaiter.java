package io.raftboot.spring.support;

import io.raftboot.core.loop.RaftListener;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Completes futures once a condition on what this node has applied holds ("applied up to index
 * i", "the store reached configVersion v"). Register it with the loop: every
 * {@link RaftListener#onAppliedUpTo} wakes the waits, so a forwarded write returns as soon as
 * this node applied it. (It polled every tick before, 10 ms by default, which made a write on a
 * follower take 10 ms at the median.) The conditions are checked on the timer thread, never on
 * the Raft loop, since completing a future runs its callers' callbacks.
 */
public final class AppliedStateWaiter implements RaftListener, AutoCloseable {

    private final ScheduledExecutorService timer;
    private final Set<Wait> waits = ConcurrentHashMap.newKeySet();
    /** A check of every wait is queued on the timer and has not started yet. */
    private final AtomicBoolean checkQueued = new AtomicBoolean();
    /** Set by {@link #close()}: no progress is told any more, so a new wait fails at once. */
    private volatile boolean closed;

    public AppliedStateWaiter(RaftExecutors executors) {
        this.timer = executors.timer();
    }

    /**
     * @param condition read by the timer thread after each applied progress; it must only turn
     *     true through applied entries (or a snapshot), or it is noticed at the deadline only
     * @param deadlineNanos {@link System#nanoTime()} after which to give up
     * @param onTimeout the failure to complete with at the deadline, or {@code null} to complete
     *     normally anyway
     */
    public CompletableFuture<Void> await(BooleanSupplier condition, long deadlineNanos, Supplier<Throwable> onTimeout) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        if (condition.getAsBoolean()) {
            result.complete(null);
            return result;
        }
        Wait wait = new Wait(condition, result);
        waits.add(wait);
        if (closed) { // after the add: a close() that ran before it did not see this wait
            waits.remove(wait);
            result.completeExceptionally(shuttingDown());
            return result;
        }
        try {
            ScheduledFuture<?> expiry = timer.schedule(
                    () -> wait.expire(onTimeout), deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
            result.whenComplete((v, e) -> {
                waits.remove(wait);
                expiry.cancel(false);
            });
        } catch (RejectedExecutionException e) {
            waits.remove(wait);
            result.completeExceptionally(e);
            return result;
        }
        // Progress told between the first check and the add above would otherwise wait for the next.
        queueCheck();
        return result;
    }

    @Override
    public void onAppliedUpTo(long lastApplied) {
        if (!waits.isEmpty()) {
            queueCheck();
        }
    }

    private void queueCheck() {
        if (checkQueued.compareAndSet(false, true)) {
            try {
                timer.execute(this::checkAll);
            } catch (RejectedExecutionException e) {
                checkQueued.set(false); // shut down: the expiries were cancelled with the timer
            }
        }
    }

    private void checkAll() {
        // Cleared first: progress told while this check runs queues another one.
        checkQueued.set(false);
        for (Wait wait : waits) {
            if (wait.condition.getAsBoolean()) {
                wait.result.complete(null);
            }
        }
    }

    /** Ends every wait (the node is shutting down, its timer stops): none is left waiting forever. */
    @Override
    public void close() {
        closed = true;
        for (Wait wait : waits) {
            wait.result.completeExceptionally(shuttingDown());
        }
    }

    private static IllegalStateException shuttingDown() {
        return new IllegalStateException("the Raft node is shutting down");
    }

    /** How many waits are pending (for tests). */
    int pending() {
        return waits.size();
    }

    private record Wait(BooleanSupplier condition, CompletableFuture<Void> result) {

        void expire(Supplier<Throwable> onTimeout) {
            if (condition.getAsBoolean() || onTimeout == null) {
                result.complete(null);
            } else {
                result.completeExceptionally(onTimeout.get());
            }
        }
    }
}
