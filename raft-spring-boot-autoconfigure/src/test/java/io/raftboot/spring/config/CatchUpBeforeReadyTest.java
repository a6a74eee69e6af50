package io.raftboot.spring.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.raftboot.spring.autoconfigure.RaftAutoConfiguration;
import io.raftboot.testsupport.process.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The runner that holds readiness back until the node caught up (raft.health.readiness-after-catch-up). */
class CatchUpBeforeReadyTest {

    @TempDir
    static Path data;

    private static ApplicationContextRunner runner(String... properties) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RaftAutoConfiguration.class))
                .withPropertyValues("raft.node-id=n1", "raft.health.readiness-after-catch-up=true")
                .withPropertyValues("raft.data-dir=" + data.resolve("n" + System.nanoTime()))
                .withPropertyValues(properties);
    }

    @Test
    void aNodeThatReachesTheLeaderCatchesUpBeforeItIsReady() {
        runner("raft.peers.n1=127.0.0.1:" + FreePorts.any()).run(ctx -> {
            CatchUpBeforeReady gate = ctx.getBean(CatchUpBeforeReady.class);
            gate.run(new DefaultApplicationArguments());
            assertThat(gate.caughtUp()).isTrue();
        });
    }

    @Test
    void withoutALeaderItGivesUpAfterTheTimeoutNotCaughtUp() {
        // n2 and n3 never start: n1 can never learn a leader's commit index.
        runner(
                        "raft.peers.n1=127.0.0.1:" + FreePorts.any(),
                        "raft.peers.n2=127.0.0.1:" + FreePorts.any(),
                        "raft.peers.n3=127.0.0.1:" + FreePorts.any(),
                        "raft.write-timeout=300ms",
                        "raft.membership.catch-up-timeout=2s")
                .run(ctx -> {
                    CatchUpBeforeReady gate = ctx.getBean(CatchUpBeforeReady.class);
                    long started = System.nanoTime();
                    gate.run(new DefaultApplicationArguments());
                    assertThat(gate.caughtUp()).isFalse();
                    assertThat(Duration.ofNanos(System.nanoTime() - started))
                            .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
                });
    }

    @Test
    void noSyncIsTriedAfterItGaveUp() throws Exception {
        AtomicInteger syncs = new AtomicInteger();
        ReplicatedConfig config = mock(ReplicatedConfig.class);
        when(config.sync()).thenAnswer(call -> {
            syncs.incrementAndGet();
            return CompletableFuture.failedFuture(new IllegalStateException("no leader"));
        });
        CatchUpBeforeReady gate = new CatchUpBeforeReady(config, Duration.ofMillis(20), Duration.ofMillis(300));
        gate.run(new DefaultApplicationArguments());
        assertThat(gate.caughtUp()).isFalse();
        int afterReturn = syncs.get();
        assertThat(afterReturn).isGreaterThan(1);
        // A retry already scheduled at the deadline may still run once; none after it.
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(2))
                .until(() -> syncs.get() <= afterReturn + 1);
    }

    @Test
    void offByDefault() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RaftAutoConfiguration.class))
                .withPropertyValues(
                        "raft.node-id=n1",
                        "raft.peers.n1=127.0.0.1:" + FreePorts.any(),
                        "raft.data-dir=" + data.resolve("off"))
                .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(CatchUpBeforeReady.class));
    }
}
