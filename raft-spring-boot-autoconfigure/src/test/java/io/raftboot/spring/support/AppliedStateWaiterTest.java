package io.raftboot.spring.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AppliedStateWaiterTest {

    private static final Duration AWAIT = Duration.ofSeconds(5);
    private final RaftExecutors executors = new RaftExecutors("t");
    private final AppliedStateWaiter waiter = new AppliedStateWaiter(executors);
    private final AtomicLong applied = new AtomicLong();

    @AfterEach
    void close() {
        executors.close();
    }

    private static long inAnHour() {
        return System.nanoTime() + Duration.ofHours(1).toNanos();
    }

    /** Lets the timer run what is queued on it (it runs tasks due now in order). */
    private void drainTimer() throws Exception {
        executors.timer().submit(() -> {}).get();
    }

    @Test
    void appliedProgressCompletesTheWaitLongBeforeItsDeadline() throws Exception {
        CompletableFuture<Void> wait = waiter.await(() -> applied.get() >= 7, inAnHour(), null);
        drainTimer(); // the check queued by await() itself, so only the progress below can complete it
        applied.set(6);
        waiter.onAppliedUpTo(6);
        assertThat(wait).isNotDone();

        applied.set(7);
        waiter.onAppliedUpTo(7);

        await().atMost(AWAIT).until(wait::isDone);
        assertThat(wait).isCompleted();
        await().atMost(AWAIT).until(() -> waiter.pending() == 0);
    }

    @Test
    void aConditionAlreadyTrueCompletesAtOnce() {
        applied.set(3);
        assertThat(waiter.await(() -> applied.get() >= 3, inAnHour(), null)).isCompleted();
        assertThat(waiter.pending()).isZero();
    }

    @Test
    void theDeadlineFailsTheWaitOrCompletesItWhenNoFailureIsGiven() {
        long soon = System.nanoTime() + Duration.ofMillis(50).toNanos();
        CompletableFuture<Void> failing =
                waiter.await(() -> false, soon, () -> new IllegalStateException("not caught up"));
        CompletableFuture<Void> lenient = waiter.await(() -> false, soon, null);

        await().atMost(AWAIT).until(() -> failing.isDone() && lenient.isDone());
        assertThat(failing).isCompletedExceptionally();
        assertThat(lenient).isCompleted();
        // A future is done before its whenComplete, which forgets the wait, has run.
        await().atMost(AWAIT).until(() -> waiter.pending() == 0);
    }

    @Test
    void progressBetweenTheFirstCheckAndTheRegistrationIsNotMissed() {
        // False at await()'s own first check, true from then on, and no progress is ever told:
        // only the check await() queues after registering the wait can complete it.
        AtomicLong checks = new AtomicLong();
        CompletableFuture<Void> wait = waiter.await(() -> checks.incrementAndGet() > 1, inAnHour(), null);

        await().atMost(AWAIT).until(wait::isDone);
        assertThat(wait).isCompleted();
    }

    @Test
    void closeEndsEveryWait() {
        CompletableFuture<Void> wait = waiter.await(() -> false, inAnHour(), null);

        waiter.close();

        assertThat(wait).isCompletedExceptionally();
        assertThat(catchCause(wait)).hasMessageContaining("shutting down");
        // A wait begun after the close (a late answer on the timer) would never be woken.
        assertThat(catchCause(waiter.await(() -> false, inAnHour(), null))).hasMessageContaining("shutting down");
    }

    private static Throwable catchCause(CompletableFuture<Void> future) {
        try {
            future.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }
}
