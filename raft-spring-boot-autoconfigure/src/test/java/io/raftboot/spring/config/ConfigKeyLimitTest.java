package io.raftboot.spring.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.raftboot.core.client.ForwardOutcome;
import io.raftboot.core.store.ConfigCommand;
import io.raftboot.core.store.ConfigCommandCodec;
import io.raftboot.core.store.ConfigResult;
import io.raftboot.core.store.ConfigStore;
import io.raftboot.spring.autoconfigure.RaftAutoConfiguration;
import io.raftboot.spring.cluster.RaftConfigurationException;
import io.raftboot.spring.cluster.RaftConfigurationFailureAnalyzer;
import io.raftboot.spring.leadership.LeadershipService;
import io.raftboot.testsupport.process.FreePorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code raft.max-config-keys} on a running one-node cluster, through {@link ReplicatedConfig}. */
class ConfigKeyLimitTest {

    @TempDir
    Path data;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RaftAutoConfiguration.class))
                .withPropertyValues(
                        "raft.node-id=n1",
                        "raft.peers.n1=127.0.0.1:" + FreePorts.any(),
                        "raft.data-dir=" + data.resolve("n" + System.nanoTime()));
    }

    private static ConfigResult done(CompletableFuture<ConfigResult> write) throws Exception {
        return write.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aWriteBeyondTheKeyLimitFailsWithConfigStoreFullAndExistingKeysStayWritable() {
        runner().withPropertyValues("raft.max-config-keys=3").run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx.getBean(ConfigStore.class).maxKeys()).isEqualTo(3);
            await().atMost(Duration.ofSeconds(5)).until(ctx.getBean(LeadershipService.class)::isLeader);
            ReplicatedConfig config = ctx.getBean(ReplicatedConfig.class);
            for (String key : new String[] {"a", "b", "c"}) {
                assertThat(done(config.put(key, "1")).applied()).isTrue();
            }
            long versionWhenFull = config.configVersion();

            assertThatThrownBy(() -> done(config.put("d", "1")))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(ConfigStoreFullException.class)
                    .hasMessageContaining("config store full: 3 keys (raft.max-config-keys)")
                    .hasMessageContaining("'d'")
                    .satisfies(e -> assertThat(((ConfigStoreFullException) e).isOutcomeUnknown())
                            .isFalse());
            assertThatThrownBy(() -> done(config.compareAndSet("e", 0, "1")))
                    .cause()
                    .isInstanceOf(ConfigStoreFullException.class);
            assertThat(config.get("d")).isEmpty();
            assertThat(config.configVersion()).isEqualTo(versionWhenFull);

            assertThat(done(config.put("a", "2")).applied()).isTrue();
            assertThat(done(config.delete("b")).applied()).isTrue();
            assertThat(done(config.put("d", "1")).applied()).isTrue();
            assertThat(config.getAll("")).containsOnlyKeys("a", "c", "d");
        });
    }

    @Test
    void theLeaderStampsItsOwnLimitIntoAForwardedWriteWhateverLimitTheSenderWrote() {
        runner().withPropertyValues("raft.max-config-keys=1").run(ctx -> {
            await().atMost(Duration.ofSeconds(5)).until(ctx.getBean(LeadershipService.class)::isLeader);
            assertThat(done(ctx.getBean(ReplicatedConfig.class).put("a", "1")).applied())
                    .isTrue();
            LeaderCommandHandler leader = ctx.getBean(LeaderCommandHandler.class);

            // A follower (or a hostile member) forwarding a put without any key limit.
            byte[] unlimited =
                    ConfigCommandCodec.encode(new ConfigCommand.Put("b", "1".getBytes(StandardCharsets.UTF_8)));
            ForwardOutcome reply =
                    leader.write(unlimited, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);

            assertThat(reply).as("answered with the store's result").isInstanceOf(ForwardOutcome.Applied.class);
            assertThat(((ForwardOutcome.Applied) reply).result().outcome()).isEqualTo(ConfigResult.Outcome.STORE_FULL);
            assertThat(ctx.getBean(ConfigStore.class).get("b")).isEmpty();
        });
    }

    @Test
    void theDefaultLimitIsTenThousandKeysAndZeroMeansNoLimit() {
        runner().run(ctx -> assertThat(ctx.getBean(ConfigStore.class).maxKeys()).isEqualTo(10_000));
        runner().withPropertyValues("raft.max-config-keys=0").run(ctx -> {
            assertThat(ctx.getBean(ConfigStore.class).maxKeys()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(ctx.getBean(LeadershipService.class)::isLeader);
            assertThat(done(ctx.getBean(ReplicatedConfig.class).put("k", "v")).applied())
                    .isTrue();
        });
    }

    @Test
    void aNegativeKeyLimitStopsTheStartWithAReportNamingTheProperty() {
        runner().withPropertyValues("raft.max-config-keys=-1").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().isInstanceOf(RaftConfigurationException.class);
            FailureAnalysis analysis = new RaftConfigurationFailureAnalyzer().analyze(ctx.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription())
                    .contains("raft.max-config-keys")
                    .contains("-1");
            assertThat(analysis.getAction()).contains("raft.max-config-keys");
        });
    }
}
