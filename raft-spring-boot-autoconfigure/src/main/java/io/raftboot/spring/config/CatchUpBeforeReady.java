package io.raftboot.spring.config;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;

/**
 * raft.health.readiness-after-catch-up: the last {@link ApplicationRunner}, which returns only
 * once this node has caught up with the leader, so Spring Boot declares the application ready
 * (ReadinessState.ACCEPTING_TRAFFIC, /actuator/health/readiness) only then, and a rolling update
 * does not restart the next pod while this one still receives the log or a snapshot. Liveness is
 * already CORRECT and the web server up while it waits; the Raft node is running.
 *
 * <p>Caught up means one {@link ReplicatedConfig#sync()} succeeded: the leader's commit index at
 * that moment (its read index, thesis §6.4) is applied here. It is a one-time gate: afterwards
 * readiness never depends on Raft, so an election never takes every pod out of the Service. After
 * {@code timeout} without a leader it gives up with a warning and lets the application become
 * ready: a pod held back forever would not help a cluster without a majority.
 */
public class CatchUpBeforeReady implements ApplicationRunner, Ordered {

    private static final Logger LOG = LoggerFactory.getLogger(CatchUpBeforeReady.class);

    private final ReplicatedConfig config;
    private final Duration retry;
    private final Duration timeout;
    private volatile boolean caughtUp;

    public CatchUpBeforeReady(ReplicatedConfig config, Duration retry, Duration timeout) {
        this.config = config;
        this.retry = retry;
        this.timeout = timeout;
    }

    @Override
    public void run(ApplicationArguments args) throws InterruptedException {
        LOG.info(
                "Waiting until this node has caught up with the leader before the application is ready"
                        + " (raft.health.readiness-after-catch-up, at most {})",
                timeout);
        long started = System.nanoTime();
        try {
            syncUntilItSucceeds(started + timeout.toNanos()).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            caughtUp = true;
            LOG.info(
                    "Caught up with the leader after {} ms",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } catch (TimeoutException | ExecutionException e) {
            LOG.warn(
                    "Not caught up with a leader within {} (is a majority of the voters up?);"
                            + " the application becomes ready anyway",
                    timeout);
        }
    }

    /** Whether the node caught up before the application became ready. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** Tries again after each failure, but not past {@code deadline}: no retries outlive the wait. */
    private CompletableFuture<Void> syncUntilItSucceeds(long deadline) {
        return config.sync().handle((ok, error) -> error).thenCompose(error -> {
            if (error == null) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            if (System.nanoTime() - deadline >= 0) {
                return CompletableFuture.<Void>failedFuture(error);
            }
            LOG.debug("Not caught up yet ({}); trying again in {}", error.toString(), retry);
            return CompletableFuture.supplyAsync(
                            () -> null, CompletableFuture.delayedExecutor(retry.toMillis(), TimeUnit.MILLISECONDS))
                    .thenCompose(next -> syncUntilItSucceeds(deadline));
        });
    }

    /** Last of the runners: the application's own run first. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
