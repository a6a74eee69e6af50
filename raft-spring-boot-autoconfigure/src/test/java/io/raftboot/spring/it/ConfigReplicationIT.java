package io.raftboot.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.raftboot.core.store.ConfigResult;
import io.raftboot.spring.config.ConfigChange;
import io.raftboot.spring.config.ConfigChangedEvent;
import io.raftboot.spring.config.ConfigValueTooLargeException;
import io.raftboot.spring.config.ReadConsistency;
import io.raftboot.spring.config.ReplicatedConfig;
import io.raftboot.spring.leadership.NoLeaderException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

/** The replicated config across three nodes over gRPC: forwarded writes, versions, events, reads. */
class ConfigReplicationIT {

    @TempDir
    static Path data;

    static RaftTestCluster cluster;
    static String leader;
    static String follower;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        ChangeRecorder changeRecorder() {
            return new ChangeRecorder();
        }
    }

    static class ChangeRecorder {
        final List<ConfigChangedEvent> events = new CopyOnWriteArrayList<>();

        @EventListener
        void on(ConfigChangedEvent event) {
            events.add(event);
        }
    }

    @BeforeAll
    static void start() {
        cluster = new RaftTestCluster(3, data, App.class)
                .with("raft.max-value-size", "1KB")
                .startAll();
        leader = cluster.awaitAgreedLeader(Duration.ofSeconds(10));
        follower = cluster.aFollower(leader);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static ReplicatedConfig config(String id) {
        return cluster.bean(id, ReplicatedConfig.class);
    }

    @Test
    void aWriteOnAFollowerIsCommittedAndSeenOnAllNodesWithTheSameVersion() throws Exception {
        ConfigResult result = config(follower).put("app/colour", "blue").get(5, TimeUnit.SECONDS);

        assertThat(result.applied()).isTrue();
        assertThat(result.newVersion()).isEqualTo(1);
        // Read-your-writes on the follower that wrote it: applied there when the future completes.
        assertThat(config(follower).get("app/colour")).contains("blue");
        for (String id : cluster.running()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> config(id).configVersion() >= result.configVersion());
            assertThat(config(id).getEntry("app/colour", ReadConsistency.LOCAL)).hasValueSatisfying(v -> {
                assertThat(v.valueAsString()).isEqualTo("blue");
                assertThat(v.version()).isEqualTo(result.newVersion());
            });
            assertThat(config(id).configVersion()).isEqualTo(result.configVersion());
        }
    }

    @Test
    void everyNodePublishesAConfigChangedEventWithOldAndNewVersion() throws Exception {
        config(leader).put("events/key", "one").get(5, TimeUnit.SECONDS);
        ConfigResult second = config(follower).put("events/key", "two").get(5, TimeUnit.SECONDS);

        for (String id : cluster.running()) {
            ChangeRecorder recorder = cluster.bean(id, ChangeRecorder.class);
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(recorder.events)
                            .filteredOn(e -> e.getKey().equals("events/key"))
                            .extracting(ConfigChangedEvent::getOldVersion, ConfigChangedEvent::getNewVersion)
                            .containsExactly(
                                    org.assertj.core.groups.Tuple.tuple(0L, 1L),
                                    org.assertj.core.groups.Tuple.tuple(1L, 2L)));
            assertThat(recorder.events)
                    .filteredOn(e -> e.getKey().equals("events/key"))
                    .last()
                    .extracting(ConfigChangedEvent::getConfigVersion)
                    .isEqualTo(second.configVersion());
        }
    }

    @Test
    void compareAndSetAppliesOnlyAtTheExpectedVersion() throws Exception {
        ConfigResult created = config(follower).compareAndSet("cas/key", 0, "a").get(5, TimeUnit.SECONDS);
        ConfigResult stale = config(follower).compareAndSet("cas/key", 0, "b").get(5, TimeUnit.SECONDS);
        ConfigResult next = config(leader)
                .compareAndSet("cas/key", created.newVersion(), "c")
                .get(5, TimeUnit.SECONDS);

        assertThat(created.outcome()).isEqualTo(ConfigResult.Outcome.APPLIED);
        assertThat(stale.outcome()).isEqualTo(ConfigResult.Outcome.VERSION_MISMATCH);
        assertThat(next.outcome()).isEqualTo(ConfigResult.Outcome.APPLIED);
        assertThat(config(follower).get("cas/key", ReadConsistency.LINEARIZABLE))
                .contains("c");
    }

    @Test
    void deleteRemovesTheKeyEverywhereAndWatchersSeeIt() throws Exception {
        List<ConfigChange> seen = new CopyOnWriteArrayList<>();
        String other = cluster.running().stream()
                .filter(id -> !id.equals(leader) && !id.equals(follower))
                .findFirst()
                .orElseThrow();
        try (var watch = config(other).watchPrefix("del/", seen::add)) {
            config(follower).put("del/x", "1").get(5, TimeUnit.SECONDS);
            ConfigResult deleted = config(follower).delete("del/x").get(5, TimeUnit.SECONDS);
            assertThat(deleted.applied()).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
        }
        assertThat(seen.get(1).isDelete()).isTrue();
        assertThat(config(other).get("del/x", ReadConsistency.LINEARIZABLE)).isEmpty();
    }

    @Test
    void aLinearizableReadOnAFollowerSeesAWriteCommittedThroughTheLeader() throws Exception {
        config(leader).put("lin/key", "fresh").get(5, TimeUnit.SECONDS);
        assertThat(config(follower).get("lin/key", ReadConsistency.LINEARIZABLE))
                .contains("fresh");
        assertThat(config(follower).getAll("lin/", ReadConsistency.LINEARIZABLE))
                .containsEntry("lin/key", "fresh");
    }

    @Test
    void aValueAboveTheSizeLimitIsRefusedBeforeAnythingIsWritten() {
        long before = config(follower).configVersion();
        assertThatThrownBy(() -> config(follower).put("big", "x".repeat(2000)).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(ConfigValueTooLargeException.class)
                .hasMessageContaining("raft.max-value-size");
        assertThat(config(follower).configVersion()).isEqualTo(before);
    }

    @Test
    void aWriteWithoutAnyLeaderFailsAfterTheWriteTimeout() throws Exception {
        try (RaftTestCluster lonely =
                new RaftTestCluster(3, data.resolve("lonely"), App.class).with("raft.write-timeout", "700ms")) {
            lonely.start("n1");
            assertThatThrownBy(() -> lonely.bean("n1", ReplicatedConfig.class)
                            .put("k", "v")
                            .get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(NoLeaderException.class)
                    .hasMessageContaining("raft.write-timeout (700 ms)");
        }
    }
}
