package io.raftboot.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftboot.core.client.CommandForwarder;
import io.raftboot.core.client.ForwardOutcome;
import io.raftboot.core.store.ConfigResult;
import io.raftboot.core.store.SessionCodec;
import io.raftboot.core.store.SessionCommand;
import io.raftboot.spring.config.ConfigWriteException;
import io.raftboot.spring.config.ReadConsistency;
import io.raftboot.spring.config.ReplicatedConfig;
import io.raftboot.spring.grpc.GrpcTransport;
import io.raftboot.spring.leadership.NoLeaderException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * A write forwarded to a leader that never answers (cut off, as seen from the follower) is sent
 * again to the next leader as soon as the follower learns of it, within the write's deadline and
 * applied once; and a write to a node that has known no leader for long fails before the write
 * timeout. Three nodes over real gRPC with a 10 s write timeout, so that waiting it out shows.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ForwardedWritesFollowTheLeaderIT {

    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path data;

    static RaftTestCluster cluster;
    static String leader;
    static String follower;

    /** Keys whose first forwarded write vanishes: sent, never answered. */
    static final Set<String> SWALLOW_FIRST = ConcurrentHashMap.newKeySet();

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        @Primary
        CommandForwarder swallowingForwarder(GrpcTransport transport) {
            return new CommandForwarder() {
                @Override
                public CompletableFuture<ForwardOutcome> forwardWrite(
                        String leaderId, byte[] command, Duration timeout) {
                    String key = SessionCodec.isSessionCommand(command)
                                    && SessionCodec.decode(command) instanceof SessionCommand.Write w
                            ? w.command().key()
                            : null;
                    if (key != null && SWALLOW_FIRST.remove(key)) {
                        return new CompletableFuture<>(); // the leader never answers
                    }
                    return transport.forwardWrite(leaderId, command, timeout);
                }

                @Override
                public CompletableFuture<ForwardOutcome> forwardReadIndex(String leaderId, Duration timeout) {
                    return transport.forwardReadIndex(leaderId, timeout);
                }
            };
        }
    }

    @BeforeAll
    static void start() {
        cluster = new RaftTestCluster(3, data, App.class)
                .with("raft.write-timeout", WRITE_TIMEOUT.toMillis() + "ms")
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
    @Order(1)
    void aForwardedWriteTheLeaderNeverAnswersIsAppliedOnceByTheNextLeader() throws Exception {
        config(follower).put("warm-up", "opens the follower's session").get(10, TimeUnit.SECONDS);
        SWALLOW_FIRST.add("rerouted");
        long started = System.nanoTime();
        CompletableFuture<ConfigResult> write = config(follower).put("rerouted", "v");

        cluster.leadership(leader).stepDown().get(10, TimeUnit.SECONDS);
        ConfigResult r = write.get(WRITE_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(SWALLOW_FIRST).as("the first attempt was swallowed").doesNotContain("rerouted");
        assertThat(r.applied()).isTrue();
        assertThat(r.newVersion()).as("applied once").isEqualTo(1);
        assertThat(took)
                .as("re-routed at the leader change, not at the deadline")
                .isLessThan(Duration.ofSeconds(5));
        String next = cluster.awaitAgreedLeader(Duration.ofSeconds(10));
        assertThat(config(next)
                        .getEntry("rerouted", ReadConsistency.LINEARIZABLE)
                        .orElseThrow()
                        .version())
                .isEqualTo(1);
    }

    @Test
    @Order(2)
    void aWriteToANodeThatHasKnownNoLeaderForLongFailsBeforeTheWriteTimeout() {
        String survivor = cluster.running().get(0);
        cluster.running().stream().filter(id -> !id.equals(survivor)).forEach(cluster::close);

        long started = System.nanoTime();
        assertThatThrownBy(
                        () -> config(survivor).put("alone", "v").get(WRITE_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                // NoLeaderException when no attempt can have reached a log; when the survivor was the
                // leader, its own log may hold the write: ConfigWriteException, outcome unknown.
                .isInstanceOfAny(NoLeaderException.class, ConfigWriteException.class)
                .hasMessageContaining("known no leader for");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).as("failed fast, not after raft.write-timeout").isLessThan(Duration.ofSeconds(6));
    }
}
