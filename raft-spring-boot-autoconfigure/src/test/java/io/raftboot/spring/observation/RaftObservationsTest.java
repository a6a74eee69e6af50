package io.raftboot.spring.observation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.raftboot.spring.autoconfigure.RaftAutoConfiguration;
import io.raftboot.spring.autoconfigure.RaftObservationAutoConfiguration;
import io.raftboot.spring.config.ReplicatedConfig;
import io.raftboot.spring.leadership.LeadershipService;
import io.raftboot.testsupport.process.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The observations a one-node cluster makes when it elects itself, takes a write and is asked to step down. */
class RaftObservationsTest {

    @TempDir
    static Path data;

    /** The stopped observations, by what a tracing handler would see. */
    static final class Recorder implements ObservationHandler<Observation.Context> {
        final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

        @Override
        public void onStop(Observation.Context context) {
            stopped.add(context);
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }

        Observation.Context only(String name) {
            List<Observation.Context> named =
                    stopped.stream().filter(c -> name.equals(c.getName())).toList();
            assertThat(named).as("stopped observations named %s", name).hasSize(1);
            return named.get(0);
        }

        boolean has(String name) {
            return stopped.stream().anyMatch(c -> name.equals(c.getName()));
        }
    }

    private static ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(
                        AutoConfigurations.of(RaftAutoConfiguration.class, RaftObservationAutoConfiguration.class))
                .withPropertyValues(
                        "raft.node-id=n1",
                        "raft.peers.n1=127.0.0.1:" + FreePorts.any(),
                        "raft.data-dir=" + data.resolve("n" + System.nanoTime()));
    }

    private static java.util.Map<String, String> keys(Observation.Context context) {
        return context.getAllKeyValues().stream().collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
    }

    @Test
    void electionsTransfersAndWritesAreObserved() {
        Recorder recorder = new Recorder();
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(recorder);
        runner().withBean(ObservationRegistry.class, () -> registry).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            LeadershipService leadership = ctx.getBean(LeadershipService.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> recorder.has(RaftObservations.ELECTION));
            assertThat(leadership.isLeader()).isTrue();
            assertThat(keys(recorder.only(RaftObservations.ELECTION)))
                    .containsEntry("outcome", "won")
                    .containsEntry("raft.node", "n1")
                    .containsEntry("raft.term", "1");

            assertThat(ctx.getBean(ReplicatedConfig.class).put("k", "v")).succeedsWithin(Duration.ofSeconds(5));
            await().atMost(Duration.ofSeconds(5)).until(() -> recorder.has(RaftObservations.CONFIG_WRITE));
            Observation.Context write = recorder.only(RaftObservations.CONFIG_WRITE);
            assertThat(keys(write))
                    .containsEntry("operation", "put")
                    .containsEntry("applied", "true")
                    .containsEntry("raft.config.key", "k");
            assertThat(write.getError()).isNull();

            // n9 is no member: the transfer fails, and the observation carries the error.
            Throwable refused = leadership
                    .transferLeadership("n9")
                    .handle((ok, error) -> error)
                    .get();
            assertThat(refused).isNotNull();
            await().atMost(Duration.ofSeconds(5)).until(() -> recorder.has(RaftObservations.TRANSFER));
            Observation.Context transfer = recorder.only(RaftObservations.TRANSFER);
            assertThat(keys(transfer)).containsEntry("kind", "transfer").containsEntry("raft.target", "n9");
            assertThat(transfer.getError()).isNotNull();
        });
    }

    @Test
    void withoutAnObservationRegistryNothingIsWrapped() {
        runner().run(ctx -> {
            assertThat(ctx).hasNotFailed().doesNotHaveBean(ElectionObservations.class);
            assertThat(ctx.getBean(ReplicatedConfig.class)).isNotInstanceOf(ObservedReplicatedConfig.class);
            assertThat(ctx.getBean(LeadershipService.class)).isNotInstanceOf(ObservedLeadershipService.class);
        });
    }
}
