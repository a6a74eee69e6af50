package io.raftboot.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.raftboot.proto.HBeat;
import io.raftboot.proto.RaftGrpc;
import io.raftboot.spring.config.ReplicatedConfig;
import io.raftboot.spring.grpc.GrpcTransport;
import io.raftboot.spring.grpc.security.RefusalReason;
import io.raftboot.spring.grpc.security.RequestRefusals;
import io.raftboot.spring.grpc.security.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A three-node cluster with mutual TLS (certificates made by the test): n1 and n2 serve with
 * the SSL bundle of raft.tls.bundle, n3 with net.devh's grpc.server.security.*. It elects a
 * leader and replicates writes; a caller with a certificate from another CA, a node claiming
 * another node's id, a node of another cluster and a plaintext caller are refused, and the
 * refusals show in the log and in raft.requests.refused.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MutualTlsIT {

    @TempDir
    static Path dir;

    static TestPki pki;
    static TestPki otherPki;
    static RaftTestCluster cluster;
    static String leader;

    @BeforeAll
    static void startClusterWithMutualTls() {
        pki = new TestPki(dir, "cluster");
        otherPki = new TestPki(dir, "other");
        // Generous timing: this is about who may talk, not about failover speed on a busy machine.
        cluster = new RaftTestCluster(3, dir.resolve("data"), TestNodeApp.class)
                .with("raft.tls.bundle", "raft")
                .with("raft.election-timeout", "1500ms")
                .with("raft.heartbeat-interval", "150ms");
        // One after the other, as RaftTestCluster.startAll does: parallel starts race in Logback's
        // one LoggerContext, and a node whose start failed on another thread was simply missing.
        for (String id : List.of("n1", "n2", "n3")) {
            TestPki.Issued cert = pki.issue(id);
            List<String> props = new ArrayList<>(cert.bundle("raft", pki.caCertificate()));
            if (id.equals("n3")) {
                props.addAll(List.of(
                        "grpc.server.security.enabled=true",
                        "grpc.server.security.certificate-chain=file:" + cert.certificateFile(),
                        "grpc.server.security.private-key=file:" + cert.keyFile(),
                        "grpc.server.security.trust-cert-collection=file:" + pki.caCertificate(),
                        "grpc.server.security.client-auth=REQUIRE"));
            }
            cluster.start(id, props.toArray(String[]::new));
        }
        leader = cluster.awaitAgreedLeader(Duration.ofSeconds(20));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void theClusterElectsALeaderAndReplicatesWritesOverMutualTls() throws Exception {
        String follower = cluster.aFollower(leader);
        cluster.bean(follower, ReplicatedConfig.class)
                .put("tls.greeting", "hello")
                .get(10, TimeUnit.SECONDS);
        for (String id : cluster.running()) {
            await().atMost(Duration.ofSeconds(10))
                    .until(
                            () -> cluster.bean(id, ReplicatedConfig.class)
                                    .get("tls.greeting")
                                    .orElse(null),
                            "hello"::equals);
        }
        for (String id : cluster.running()) {
            assertThat(refusals(id).total()).as("refusals on %s", id).isZero();
        }
        GrpcTransport transport = cluster.bean(leader, GrpcTransport.class);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> cluster.running().stream()
                        .filter(id -> !id.equals(leader))
                        .allMatch(transport::isStreaming));
    }

    @Test
    void aCertificateFromAnotherCaIsRefusedInTheHandshake(CapturedOutput output) throws Exception {
        TestPki.Issued stranger = otherPki.issue("n2");
        long before = refusals("n1").count(RefusalReason.UNTRUSTED_CERTIFICATE);
        ManagedChannel channel = channel("n1", stranger);
        try {
            assertThatThrownBy(() -> stub(channel).heartbeat(heartbeat("it", "n2", "n1")))
                    .isInstanceOfSatisfying(
                            StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        } finally {
            channel.shutdownNow();
        }
        await().atMost(Duration.ofSeconds(5))
                .until(() -> refusals("n1").count(RefusalReason.UNTRUSTED_CERTIFICATE) > before);
        assertThat(meter("n1", "untrusted-certificate")).isGreaterThan(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> output.getOut().contains("[untrusted-certificate]"));
        assertThat(output.getOut()).contains("CN=other test CA").contains("not trusted by SSL bundle 'raft'");
        assertThat(cluster.leadership("n1").term()).isLessThan(1000);
    }

    @Test
    void aNodeClaimingAnotherNodesIdIsRefused(CapturedOutput output) {
        TestPki.Issued n3 = pki.issue("n3");
        long before = refusals("n1").count(RefusalReason.IDENTITY_MISMATCH);
        ManagedChannel channel = channel("n1", n3);
        try {
            assertThatThrownBy(() -> stub(channel).heartbeat(heartbeat("it", "n2", "n1")))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                        assertThat(e.getStatus().getDescription())
                                .contains("claims to come from 'n2'")
                                .contains("[n3]");
                    });
        } finally {
            channel.shutdownNow();
        }
        assertThat(refusals("n1").count(RefusalReason.IDENTITY_MISMATCH)).isEqualTo(before + 1);
        assertThat(meter("n1", "identity-mismatch")).isGreaterThanOrEqualTo(1);
        assertThat(output.getOut()).contains("[identity-mismatch]").contains("claims to come from 'n2'");
        assertThat(cluster.leadership("n1").term()).isLessThan(1000);
        cluster.awaitAgreedLeader(Duration.ofSeconds(10));
    }

    @Test
    void aNodeOfAnotherClusterIsRefused(CapturedOutput output) {
        TestPki.Issued n3 = pki.issue("n3");
        long before = refusals("n2").count(RefusalReason.CLUSTER_ID);
        ManagedChannel channel = channel("n2", n3);
        try {
            assertThatThrownBy(() -> stub(channel).heartbeat(heartbeat("elsewhere", "n3", "n2")))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                        assertThat(e.getStatus().getDescription()).contains("cluster 'elsewhere'");
                    });
        } finally {
            channel.shutdownNow();
        }
        assertThat(refusals("n2").count(RefusalReason.CLUSTER_ID)).isEqualTo(before + 1);
        assertThat(meter("n2", "cluster-id")).isGreaterThanOrEqualTo(1);
        assertThat(output.getOut()).contains("[cluster-id]").contains("cluster 'elsewhere'");
        assertThat(cluster.leadership("n2").term()).isLessThan(1000);
    }

    @Test
    void aPlaintextCallerGetsNoAnswer() {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", cluster.grpcPort("n3"))
                .usePlaintext()
                .build();
        try {
            assertThatThrownBy(() -> stub(channel).heartbeat(heartbeat("it", "n2", "n3")))
                    .isInstanceOfSatisfying(
                            StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode())
                                    .isIn(Status.Code.UNAVAILABLE, Status.Code.INTERNAL));
        } finally {
            channel.shutdownNow();
        }
        assertThat(cluster.leadership("n3").term()).isLessThan(1000);
    }

    private static RequestRefusals refusals(String id) {
        return cluster.bean(id, RequestRefusals.class);
    }

    private static double meter(String id, String reason) {
        return cluster.bean(id, MeterRegistry.class)
                .get("raft.requests.refused")
                .tag("reason", reason)
                .functionCounter()
                .count();
    }

    private static HBeat heartbeat(String clusterId, String from, String to) {
        return HBeat.newBuilder()
                .setClusterId(clusterId)
                .setFrom(from)
                .setLeaderId(from)
                .setTo(to)
                .setTerm(1000)
                .build();
    }

    private static RaftGrpc.RaftBlockingStub stub(ManagedChannel channel) {
        return RaftGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    /** A caller presenting {@code cert}; it trusts any server (it is the one being checked). */
    private static ManagedChannel channel(String target, TestPki.Issued cert) {
        try {
            return NettyChannelBuilder.forAddress("127.0.0.1", cluster.grpcPort(target))
                    .sslContext(GrpcSslContexts.forClient()
                            .keyManager(
                                    cert.certificateFile().toFile(),
                                    cert.keyFile().toFile())
                            .trustManager(InsecureTrustManagerFactory.INSTANCE)
                            .build())
                    .build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException(e);
        }
    }
}
