package io.raftboot.spring.grpc.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.raftboot.proto.HBeat;
import io.raftboot.proto.HBeatReturn;
import io.raftboot.proto.RaftGrpc;
import io.raftboot.spring.cluster.PeerAddress;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Every refusal of the security layer is counted in {@link RequestRefusals} (the
 * {@code raft.requests.refused} meter) under its reason, and logged once however often it
 * repeats: the TLS handshakes on both sides and the signature of replies.
 */
@ExtendWith(OutputCaptureExtension.class)
class RefusalCountingTest {

    private static final String SECRET = "0123456789abcdef-the-cluster-secret";
    private static final PeerAddress N2 = PeerAddress.parse("127.0.0.1:7002");

    @TempDir
    Path dir;

    private final RequestRefusals refusals = new RequestRefusals("n1");

    // ------------------------------------------------------------------ TLS handshakes

    @Test
    void aPeerServerCertificateOfAnotherCaIsCountedAndLoggedOnce(CapturedOutput output) throws Exception {
        TestPki cluster = new TestPki(dir, "cluster");
        TestPki other = new TestPki(dir, "other");
        PeerTrustManager client =
                PeerTrustManager.forPeer(() -> trusting(cluster), "raft", TlsIdentity.CN, "n2", N2, refusals);
        X509Certificate[] impostor = {other.issue("n2").certificate()};

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> client.checkServerTrusted(impostor, "ECDHE_ECDSA"))
                    .isInstanceOf(CertificateException.class)
                    .hasMessageNotContaining("authType");
        }
        client.checkServerTrusted(new X509Certificate[] {cluster.issue("n2").certificate()}, "ECDHE_ECDSA");

        assertThat(refusals.count(RefusalReason.UNTRUSTED_CERTIFICATE)).isEqualTo(3);
        assertThat(refusals.total()).isEqualTo(3);
        assertThat(occurrences(output.getOut(), "[untrusted-certificate]: Peer 'n2'"))
                .isEqualTo(1);
        assertThat(output.getOut()).contains("not trusted by SSL bundle 'raft'");
    }

    @Test
    void aPeerServerCertificateNamingAnotherNodeIsCountedAsIdentityMismatchAndLoggedOnce(CapturedOutput output)
            throws Exception {
        TestPki cluster = new TestPki(dir, "cluster");
        PeerTrustManager client =
                PeerTrustManager.forPeer(() -> trusting(cluster), "raft", TlsIdentity.CN, "n2", N2, refusals);
        X509Certificate[] n3 = {cluster.issue("n3").certificate()};

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> client.checkServerTrusted(n3, "ECDHE_ECDSA"))
                    .isInstanceOf(CertificateException.class)
                    .hasMessageContaining("not node 'n2'");
        }
        client.checkServerTrusted(new X509Certificate[] {cluster.issue("n2").certificate()}, "ECDHE_ECDSA");

        assertThat(refusals.count(RefusalReason.IDENTITY_MISMATCH)).isEqualTo(3);
        assertThat(refusals.total()).isEqualTo(3);
        assertThat(occurrences(output.getOut(), "[identity-mismatch]")).isEqualTo(1);
    }

    @Test
    void aClientCertificateOfAnotherCaIsCountedAndLoggedOnceOnTheServer(CapturedOutput output) throws Exception {
        TestPki cluster = new TestPki(dir, "cluster");
        TestPki other = new TestPki(dir, "other");
        PeerTrustManager server = PeerTrustManager.forServer(() -> trusting(cluster), "raft", refusals);
        X509Certificate[] impostor = {other.issue("n2").certificate()};

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> server.checkClientTrusted(impostor, "EC"))
                    .isInstanceOf(CertificateException.class);
        }
        server.checkClientTrusted(new X509Certificate[] {cluster.issue("n2").certificate()}, "EC");

        assertThat(refusals.count(RefusalReason.UNTRUSTED_CERTIFICATE)).isEqualTo(2);
        assertThat(occurrences(output.getOut(), "[untrusted-certificate]: TLS client certificate"))
                .isEqualTo(1);
    }

    // ------------------------------------------------------------------ signed replies

    @Test
    void aReplyWithoutSignatureIsRefusedCountedAndLoggedOnce(CapturedOutput output) {
        for (int i = 0; i < 3; i++) {
            Status status = call(new Metadata());
            assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(status.getDescription()).contains("reply of 'n2'").contains("no raft.auth.secret signature");
        }

        assertThat(refusals.count(RefusalReason.MISSING_SIGNATURE)).isEqualTo(3);
        assertThat(occurrences(output.getOut(), "[missing-signature]")).isEqualTo(1);
        assertThat(output.getOut()).doesNotContain(SECRET);
    }

    @Test
    void aReplySignedWithAnotherSecretIsRefusedCountedAndLoggedOnceWithoutShowingEitherSecret(CapturedOutput output) {
        String otherSecret = "another-secret-of-some-other-cluster";
        for (int i = 0; i < 2; i++) {
            Metadata trailers = new Metadata();
            trailers.put(
                    SharedSecret.SIGNATURE,
                    SharedSecret.encode(new SharedSecret(otherSecret)
                            .signReply(
                                    RaftGrpc.getHeartbeatMethod().getFullMethodName(),
                                    "c",
                                    "n2",
                                    "n1",
                                    "whatever",
                                    new byte[0])));
            Status status = call(trailers);
            assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(status.getDescription())
                    .contains("does not verify")
                    .doesNotContain(SECRET)
                    .doesNotContain(otherSecret);
        }

        assertThat(refusals.count(RefusalReason.BAD_SIGNATURE)).isEqualTo(2);
        assertThat(occurrences(output.getOut(), "[bad-signature]")).isEqualTo(1);
        assertThat(output.getOut()).doesNotContain(SECRET).doesNotContain(otherSecret);
    }

    @Test
    void aCorrectlySignedReplyIsDeliveredAndNotCounted() {
        AtomicReference<String> nonce = new AtomicReference<>();
        Status status = call(null, nonce);
        assertThat(status.isOk()).isTrue();
        assertThat(refusals.total()).isZero();
    }

    /** One Heartbeat call through the signing interceptor to a fake peer that replies with {@code trailers}. */
    private Status call(Metadata trailers) {
        return call(trailers, new AtomicReference<>());
    }

    /** With {@code trailers == null} the fake peer signs its reply correctly. */
    private Status call(Metadata trailers, AtomicReference<String> nonce) {
        SigningClientInterceptor interceptor =
                new SigningClientInterceptor(new SharedSecret(SECRET), "c", "n1", "n2", refusals);
        MethodDescriptor<HBeat, HBeatReturn> method = RaftGrpc.getHeartbeatMethod();
        HBeatReturn reply = HBeatReturn.newBuilder().setTerm(3).build();
        Channel peer = new Channel() {
            @Override
            @SuppressWarnings("unchecked")
            public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> m, CallOptions options) {
                return new ClientCall<>() {
                    private Listener<R> listener;
                    private Metadata headers;

                    @Override
                    public void start(Listener<R> l, Metadata h) {
                        listener = l;
                        headers = h;
                    }

                    @Override
                    public void request(int n) {}

                    @Override
                    public void cancel(String message, Throwable cause) {}

                    @Override
                    public void halfClose() {
                        nonce.set(headers.get(SharedSecret.NONCE));
                        Metadata t = trailers;
                        if (t == null) {
                            t = new Metadata();
                            byte[] body = SigningClientInterceptor.bytes(method.streamResponse(reply));
                            t.put(
                                    SharedSecret.SIGNATURE,
                                    SharedSecret.encode(new SharedSecret(SECRET)
                                            .signReply(
                                                    method.getFullMethodName(), "c", "n2", "n1", nonce.get(), body)));
                        }
                        listener.onMessage((R) reply);
                        listener.onClose(Status.OK, t);
                    }

                    @Override
                    public void sendMessage(Q message) {}
                };
            }

            @Override
            public String authority() {
                return "n2";
            }
        };
        AtomicReference<Status> closed = new AtomicReference<>();
        ClientCall<HBeat, HBeatReturn> call = interceptor.interceptCall(method, CallOptions.DEFAULT, peer);
        call.start(
                new ClientCall.Listener<>() {
                    @Override
                    public void onClose(Status status, Metadata t) {
                        closed.set(status);
                    }
                },
                new Metadata());
        call.request(1);
        call.sendMessage(HBeat.newBuilder().setTerm(3).build());
        call.halfClose();
        assertThat(closed.get()).as("the call closed").isNotNull();
        return closed.get();
    }

    private static X509ExtendedTrustManager trusting(TestPki pki) {
        try (InputStream in = Files.newInputStream(pki.caCertificate())) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return (X509ExtendedTrustManager) factory.getTrustManagers()[0];
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int occurrences(String text, String part) {
        Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
