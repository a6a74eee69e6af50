package io.raftboot.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftboot.core.client.CommandForwarder;
import io.raftboot.core.client.ForwardOutcome;
import io.raftboot.core.store.ConfigResult;
import io.raftboot.core.store.SessionCodec;
import io.raftboot.core.store.SessionCommand;
import io.raftboot.core.store.VersionedValue;
import io.raftboot.spring.config.ReplicatedConfig;
import io.raftboot.spring.grpc.GrpcTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Writes are applied once however often they are retried (Raft thesis §6.3), seen where a user
 * sees them: through {@link ReplicatedConfig} on three nodes over real gRPC. A follower's
 * forwarder loses the leader's answer to a write that was applied (as a broken connection or a
 * deposed leader does), after another client's write slipped in between; the follower retries.
 * Before client sessions, the retry applied the write a second time: a version bumped twice, a
 * lost update, a lock released after another client took it.
 */
class ExactlyOnceWritesIT {

    @TempDir
    static Path data;

    static RaftTestCluster cluster;
    static String leader;
    static String follower;

    /** Per key: what happens between the first attempt's application and the lost answer. */
    static final Map<String, Supplier<CompletableFuture<?>>> LOSE_FIRST_ANSWER = new ConcurrentHashMap<>();
    /** Keys whose first forwarding throws instead of answering (a broken custom CommandForwarder). */
    static final Map<String, RuntimeException> THROW_FIRST = new ConcurrentHashMap<>();

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        @Primary
        CommandForwarder lossyForwarder(GrpcTransport transport) {
            return new CommandForwarder() {
                @Override
                public CompletableFuture<ForwardOutcome> forwardWrite(
                        String leaderId, byte[] command, Duration timeout) {
                    String key = SessionCodec.isSessionCommand(command)
                                    && SessionCodec.decode(command) instanceof SessionCommand.Write w
                            ? w.command().key()
                            : null;
                    RuntimeException thrown = key == null ? null : THROW_FIRST.remove(key);
                    if (thrown != null) {
                        throw thrown;
                    }
                    Supplier<CompletableFuture<?>> between = key == null ? null : LOSE_FIRST_ANSWER.remove(key);
                    CompletableFuture<ForwardOutcome> real = transport.forwardWrite(leaderId, command, timeout);
                    if (between == null) {
                        return real;
                    }
                    return real.thenCompose(outcome -> {
                                assertThat(outcome).isInstanceOf(ForwardOutcome.Applied.class);
                                return between.get();
                            })
                            .thenApply(ignored -> new ForwardOutcome.OutcomeUnknown("the answer was lost (test)"));
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
        cluster = new RaftTestCluster(3, data, App.class).startAll();
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

    private static <T> T done(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    private static VersionedValue entry(String key) {
        return config(leader)
                .getEntry(key, io.raftboot.spring.config.ReadConsistency.LINEARIZABLE)
                .orElse(null);
    }

    @Test
    void aPutWhoseAnswerWasLostIsRetriedAndAppliedOnce() throws Exception {
        LOSE_FIRST_ANSWER.put("once", () -> CompletableFuture.completedFuture(null));
        long before = config(leader).configVersion();

        ConfigResult r = done(config(follower).put("once", "a"));

        assertThat(LOSE_FIRST_ANSWER).doesNotContainKey("once");
        assertThat(r.newVersion()).isEqualTo(1);
        assertThat(entry("once").version()).isEqualTo(1);
        assertThat(config(leader).configVersion()).isEqualTo(before + 1);
    }

    @Test
    void aRetriedPutDoesNotOverwriteAWriteAcknowledgedAfterIt() throws Exception {
        // The follower's put(a) is applied; another client's put(b) is acknowledged; then the follower retries.
        LOSE_FIRST_ANSWER.put("colour", () -> config(leader).put("colour", "b"));

        ConfigResult a = done(config(follower).put("colour", "a"));

        assertThat(a.newVersion()).isEqualTo(1);
        assertThat(entry("colour").valueAsString())
                .as("readers must not see a, b, a")
                .isEqualTo("b");
        assertThat(entry("colour").version()).isEqualTo(2);
    }

    @Test
    void aRetriedDeleteDoesNotReleaseALockAnotherClientTookSince() throws Exception {
        done(config(follower).put("lock", "follower"));
        LOSE_FIRST_ANSWER.put(
                "lock",
                () -> config(leader)
                        .compareAndSet("lock", 0, "leader")
                        .thenAccept(taken -> assertThat(taken.applied())
                                .as("the lock was free: %s", taken)
                                .isTrue()));

        ConfigResult released = done(config(follower).delete("lock"));

        assertThat(released.applied()).isTrue();
        assertThat(entry("lock"))
                .as("the leader's lock survives the retried delete")
                .isNotNull();
        assertThat(entry("lock").valueAsString()).isEqualTo("leader");
    }

    @Test
    void aForwarderThatThrowsDoesNotLeaveTheWriteWaitingAndTheNextAttemptAppliesIt() throws Exception {
        THROW_FIRST.put("thrown", new IllegalStateException("a broken forwarder (test)"));

        ConfigResult r = done(config(follower).put("thrown", "v"));

        assertThat(THROW_FIRST).doesNotContainKey("thrown");
        assertThat(r.applied()).isTrue();
        assertThat(entry("thrown").valueAsString()).isEqualTo("v");
        assertThat(done(config(follower).put("after", "w")).applied())
                .as("later writes still work")
                .isTrue();
    }
}
