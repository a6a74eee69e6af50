package io.raftboot.spring.support;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Spring layer's two threads per node, so nothing of it runs on (or blocks) the Raft loop
 * thread:
 * <ul>
 *   <li>{@code raft-events-<node>} delivers Spring events and listener callbacks, one at a time,
 *       in the order they happened;</li>
 *   <li>{@code raft-timer-<node>} runs short internal timers: end-of-lease leadership checks, write retries,
 *       waits for the local state machine to catch up.</li>
 * </ul>
 */
public final class RaftExecutors implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RaftExecutors.class);

    private final ExecutorService events;
    private final ScheduledExecutorService timer;

    public RaftExecutors(String nodeId) {
        this.events = Executors.newSingleThreadExecutor(daemon("raft-events-" + nodeId));
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemon("raft-timer-" + nodeId));
        // A wait or write deadline is cancelled once it completes, usually seconds early: drop it
        // from the queue then, or thousands of dead tasks pile up under a steady write load.
        timer.setRemoveOnCancelPolicy(true);
        this.timer = timer;
    }

    /** Runs {@code task} on the event thread, after everything submitted before it. */
    public void dispatch(Runnable task) {
        try {
            events.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("A Raft event listener failed", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("Raft event dropped, the node is shut down");
        }
    }

    /** Waits, at most {@code timeout}, until every event dispatched so far was delivered. */
    public void drainEvents(Duration timeout) {
        try {
            Future<?> marker = events.submit(() -> {});
            marker.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("Raft events not drained: {}", e.toString());
        }
    }

    public ScheduledExecutorService timer() {
        return timer;
    }

    public ScheduledFuture<?> every(Duration period, Runnable task) {
        long nanos = Math.max(1, period.toNanos());
        return timer.scheduleWithFixedDelay(
                () -> {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        LOG.warn("A Raft timer task failed", e);
                    }
                },
                nanos,
                nanos,
                TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        events.shutdown();
        try {
            if (!events.awaitTermination(2, TimeUnit.SECONDS)) {
                events.shutdownNow();
            }
        } catch (InterruptedException e) {
            events.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
