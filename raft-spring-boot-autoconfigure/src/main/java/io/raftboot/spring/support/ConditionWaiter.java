package io.raftboot.spring.support;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Completes a future once a condition on this node's state holds, checking on the timer thread
 * every poll interval: for conditions no event announces (which roles the configuration names
 * for this node). Conditions on what this node applied use {@link AppliedStateWaiter}, which the
 * loop wakes instead.
 */
public final class ConditionWaiter {

    private final RaftExecutors executors;
    private final long pollNanos;

    public ConditionWaiter(RaftExecutors executors, Duration pollInterval) {
        this.executors = executors;
        this.pollNanos = Math.max(100_000, pollInterval.toNanos());
    }

    /**
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
        schedule(condition, deadlineNanos, onTimeout, result);
        return result;
    }

    private void schedule(
            BooleanSupplier condition,
            long deadlineNanos,
            Supplier<Throwable> onTimeout,
            CompletableFuture<Void> result) {
        try {
            executors
                    .timer()
                    .schedule(
                            () -> {
                                if (result.isDone()) {
                                    return;
                                }
                                if (condition.getAsBoolean()) {
                                    result.complete(null);
                                } else if (System.nanoTime() - deadlineNanos >= 0) {
                                    if (onTimeout == null) {
                                        result.complete(null);
                                    } else {
                                        result.completeExceptionally(onTimeout.get());
                                    }
                                } else {
                                    schedule(condition, deadlineNanos, onTimeout, result);
                                }
                            },
                            pollNanos,
                            TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }
}
