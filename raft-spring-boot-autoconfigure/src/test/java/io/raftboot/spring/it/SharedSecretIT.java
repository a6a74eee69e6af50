package io.raftboot.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.micrometer.core.instrument.MeterRegistry;
import io.raftboot.proto.HBeat;
import io.raftboot.proto.HBeatReturn;
import io.raftboot.proto.RaftGrpc;
import io.raftboot.spring.autoconfigure.RaftProperties;
import io.raftboot.spring.config.ReplicatedConfig;
import io.raftboot.spring.grpc.GrpcTransport;
import io.raftboot.spring.grpc.security.RefusalReason;
import io.raftboot.spring.grpc.security.RequestRefusals;
import io.raftboot.spring.grpc.security.SignedHeaders;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
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
 * A three-node cluster authenticating its requests with raft.auth.secret (HMAC-SHA256, replay
 * window). Unsigned, wrongly signed, stale, replayed and impersonating requests are refused and
 * counted; the secret appears nowhere: not in the log, the actuator, nor toString.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedSecretIT {

    static final String SECRET = "s3cr3t-Shared-By-The-Replicas-0123456789";

    @TempDir
    static Path dir;

    static RaftTestCluster cluster;
    static String leader;

    @BeforeAll
    static void startClusterWithASharedSecret() {
        cluster = new RaftTestCluster(3, dir, TestNodeApp.class)
                .web()
                .with("raft.auth.secret", SECRET)
                .with("raft.election-timeout", "1500ms")
                .with("raft.heartbeat-interval", "150ms")
                .with("management.endpoints.web.exposure.include", "raft,health,metrics,configprops,env")
                .startAll();
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
    void theClusterElectsALeaderAndReplicatesWritesWithSignedRequestsAndStreams() throws Exception {
        cluster.bean(cluster.aFollower(leader), ReplicatedConfig.class)
                .put("auth.greeting", "hello")
                .get(10, TimeUnit.SECONDS);
        for (String id : cluster.running()) {
            await().atMost(Duration.ofSeconds(10))
                    .until(
                            () -> cluster.bean(id, ReplicatedConfig.class)
                                    .get("auth.greeting")
                                    .orElse(null),
                            "hello"::equals);
            assertThat(refusals(id).total()).as("refusals on %s", id).isZero();
        }
        GrpcTransport transport = cluster.bean(leader, GrpcTransport.class);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> cluster.running().stream()
                        .filter(id -> !id.equals(leader))
                        .allMatch(transport::isStreaming));
    }

    @Test
    void anUnsignedRequestIsRefused(CapturedOutput output) {
        assertRefused(
                call("n1", new Metadata(), heartbeat("n2", "n1", 1000)),
                Status.Code.UNAUTHENTICATED,
                "no raft.auth.secret signature");
        assertThat(refusals("n1").count(RefusalReason.MISSING_SIGNATURE)).isEqualTo(1);
        assertThat(meter("n1", "missing-signature")).isEqualTo(1);
        assertThat(output.getOut()).contains("[missing-signature]");
    }

    @Test
    void aRequestSignedWithAnotherSecretIsRefused(CapturedOutput output) {
        HBeat request = heartbeat("n2", "n3", 1000);
        Metadata headers = SignedHeaders.sign(
                "another-secret-of-another-cluster",
                RaftGrpc.getHeartbeatMethod(),
                "it",
                "n2",
                "n3",
                System.currentTimeMillis(),
                request);
        assertRefused(call("n3", headers, request), Status.Code.UNAUTHENTICATED, "does not verify");
        assertThat(meter("n3", "bad-signature")).isEqualTo(1);
        assertThat(output.getOut()).contains("[bad-signature]");
    }

    @Test
    void aStaleRequestIsRefused() {
        HBeat request = heartbeat("n3", "n2", 1000);
        Metadata headers = SignedHeaders.sign(
                SECRET,
                RaftGrpc.getHeartbeatMethod(),
                "it",
                "n3",
                "n2",
                System.currentTimeMillis() - Duration.ofMinutes(10).toMillis(),
                request);
        assertRefused(call("n2", headers, request), Status.Code.UNAUTHENTICATED, "outside raft.auth.replay-window");
        assertThat(refusals("n2").count(RefusalReason.STALE_TIMESTAMP)).isEqualTo(1);
    }

    @Test
    void aReplayedRequestIsRefused(CapturedOutput output) {
        // A stale-term heartbeat: admitted and answered, but it changes nothing.
        HBeat request = heartbeat("n3", "n1", 0);
        Metadata headers = SignedHeaders.sign(
                SECRET, RaftGrpc.getHeartbeatMethod(), "it", "n3", "n1", System.currentTimeMillis(), request);
        HBeatReturn first = call("n1", headers, request).get();
        assertThat(first.getSuccess()).isFalse();
        assertRefused(call("n1", headers, request), Status.Code.UNAUTHENTICATED, "repeats a nonce");
        assertThat(meter("n1", "replayed")).isEqualTo(1);
        assertThat(output.getOut()).contains("[replayed]");
    }

    @Test
    void aSignedRequestSpeakingForAnotherNodeIsRefused() {
        HBeat request = heartbeat("n2", "n1", 1000);
        Metadata headers = SignedHeaders.sign(
                SECRET, RaftGrpc.getHeartbeatMethod(), "it", "n3", "n1", System.currentTimeMillis(), request);
        assertRefused(call("n1", headers, request), Status.Code.PERMISSION_DENIED, "signature was made for 'n3'");
        assertThat(refusals("n1").count(RefusalReason.IDENTITY_MISMATCH)).isEqualTo(1);
        assertThat(cluster.leadership("n1").term()).isLessThan(1000);
    }

    @Test
    @Order(100)
    void theSecretAppearsInNoLogNoActuatorOutputAndNoToString(CapturedOutput output) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String id : cluster.running()) {
            String port = cluster.node(id).getEnvironment().getProperty("local.server.port");
            for (String endpoint :
                    new String[] {"raft", "configprops", "env", "health", "metrics/raft.requests.refused"}) {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/" + endpoint))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as("/actuator/%s", endpoint).isEqualTo(200);
                assertThat(r.body()).as("/actuator/%s", endpoint).doesNotContain(SECRET);
            }
            assertThat(cluster.bean(id, RaftProperties.class).toString())
                    .contains("******")
                    .doesNotContain(SECRET);
        }
        assertThat(output.getAll()).doesNotContain(SECRET);
    }

    private static java.util.function.Supplier<HBeatReturn> call(String target, Metadata headers, HBeat request) {
        return () -> {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", cluster.grpcPort(target))
                    .usePlaintext()
                    .build();
            try {
                return RaftGrpc.newBlockingStub(channel)
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                        .withDeadlineAfter(5, TimeUnit.SECONDS)
                        .heartbeat(request);
            } finally {
                channel.shutdownNow();
            }
        };
    }

    private static void assertRefused(
            java.util.function.Supplier<HBeatReturn> call, Status.Code code, String description) {
        assertThatThrownBy(call::get).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).contains(description).doesNotContain(SECRET);
        });
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

    private static HBeat heartbeat(String from, String to, long term) {
        return HBeat.newBuilder()
                .setClusterId("it")
                .setFrom(from)
                .setLeaderId(from)
                .setTo(to)
                .setTerm(term)
                .build();
    }
}
