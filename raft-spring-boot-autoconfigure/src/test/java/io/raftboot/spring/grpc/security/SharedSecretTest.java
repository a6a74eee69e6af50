package io.raftboot.spring.grpc.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SharedSecretTest {

    private final SharedSecret secret = new SharedSecret("0123456789abcdef-test-secret");
    private final byte[] body = "request".getBytes(StandardCharsets.UTF_8);

    @Test
    void aSignatureVerifiesOnlyForTheSameSecretAndContent() {
        byte[] mac = secret.signRequest("rafts.Raft/Heartbeat", "c", "n1", "n2", 1000, "nonce", body);
        String sent = SharedSecret.encode(mac);
        assertThat(SharedSecret.matches(
                        secret.signRequest("rafts.Raft/Heartbeat", "c", "n1", "n2", 1000, "nonce", body), sent))
                .isTrue();
        assertThat(SharedSecret.matches(
                        new SharedSecret("another-secret-0123456")
                                .signRequest("rafts.Raft/Heartbeat", "c", "n1", "n2", 1000, "nonce", body),
                        sent))
                .isFalse();
        assertThat(SharedSecret.matches(
                        secret.signRequest("rafts.Raft/RequestVote", "c", "n1", "n2", 1000, "nonce", body), sent))
                .isFalse();
        assertThat(SharedSecret.matches(
                        secret.signRequest("rafts.Raft/Heartbeat", "c", "n3", "n2", 1000, "nonce", body), sent))
                .isFalse();
        assertThat(SharedSecret.matches(
                        secret.signRequest("rafts.Raft/Heartbeat", "c", "n1", "n2", 1001, "nonce", body), sent))
                .isFalse();
        assertThat(SharedSecret.matches(
                        secret.signRequest(
                                "rafts.Raft/Heartbeat",
                                "c",
                                "n1",
                                "n2",
                                1000,
                                "nonce",
                                "other".getBytes(StandardCharsets.UTF_8)),
                        sent))
                .isFalse();
        assertThat(SharedSecret.matches(mac, "not base64 !")).isFalse();
    }

    @Test
    void fieldBoundariesCannotBeShifted() {
        byte[] a = secret.signRequest("m", "c", "n1", "n2", 1, "x", body);
        byte[] b = secret.signRequest("m", "c", "n1n", "2", 1, "x", body);
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void aReplySignatureIsBoundToTheRequestNonce() {
        byte[] reply = secret.signReply("m", "c", "n2", "n1", "nonce-1", body);
        assertThat(SharedSecret.matches(
                        secret.signReply("m", "c", "n2", "n1", "nonce-2", body), SharedSecret.encode(reply)))
                .isFalse();
    }

    @Test
    void theSecretIsNeverShown() {
        assertThat(secret.toString()).doesNotContain("test-secret");
    }

    @Test
    void theReplayGuardRefusesStaleTimestampsAndRepeatedNonces() {
        ReplayGuard guard = new ReplayGuard(Duration.ofSeconds(30), 1000);
        long now = 1_000_000;
        assertThat(guard.timely(now - 31_000, now)).isFalse();
        assertThat(guard.timely(now + 29_000, now)).isTrue();
        assertThat(guard.admit(now, "a", now)).isEqualTo(ReplayGuard.Verdict.FRESH);
        assertThat(guard.admit(now, "a", now + 1)).isEqualTo(ReplayGuard.Verdict.REPLAYED);
        // Forgotten only once its timestamp can no longer be within the window.
        assertThat(guard.admit(now, "a", now + 30_000)).isEqualTo(ReplayGuard.Verdict.REPLAYED);
        assertThat(guard.admit(now, "a", now + 60_001)).isEqualTo(ReplayGuard.Verdict.STALE);
        assertThat(guard.size()).isZero();
    }

    @Test
    void theReplayGuardsMemoryIsBounded() {
        ReplayGuard guard = new ReplayGuard(Duration.ofSeconds(30), 1000);
        long now = 5_000_000;
        for (int i = 0; i < 1000; i++) {
            assertThat(guard.admit(now, "n" + i, now)).isEqualTo(ReplayGuard.Verdict.FRESH);
        }
        assertThat(guard.admit(now, "one-more", now)).isEqualTo(ReplayGuard.Verdict.FULL);
        assertThat(guard.size()).isEqualTo(1000);
        assertThat(guard.admit(now + 60_001, "later", now + 60_001)).isEqualTo(ReplayGuard.Verdict.FRESH);
        assertThat(guard.size()).isEqualTo(1);
    }
}
