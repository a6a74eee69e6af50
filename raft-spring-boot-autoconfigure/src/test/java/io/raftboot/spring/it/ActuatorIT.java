package io.raftboot.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftboot.spring.cluster.ClusterSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.context.WebServerApplicationContext;

/** {@code /actuator/raft}, the raft health and the meters, over HTTP on three web nodes. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ActuatorIT {

    private static final List<String> CONTRACT_FIELDS = List.of(
            "nodeId",
            "clusterId",
            "role",
            "term",
            "leaderId",
            "leaderUrl",
            "commitIndex",
            "lastApplied",
            "configVersion",
            "leaseValidForMillis",
            "peers");
    private static final List<String> PEER_FIELDS =
            List.of("id", "url", "voting", "matchIndex", "lastContactMillis", "reachable");

    @TempDir
    static Path data;

    static RaftTestCluster cluster;
    static String leader;
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() {
        cluster = new RaftTestCluster(3, data, TestNodeApp.class).web().startAll();
        leader = cluster.awaitAgreedLeader(Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    @Order(1)
    void theRaftEndpointReturnsEveryContractFieldOnEveryNode() throws Exception {
        cluster.bean(leader, io.raftboot.spring.config.ReplicatedConfig.class)
                .put("k", "v")
                .get(5, TimeUnit.SECONDS);
        for (String id : cluster.running()) {
            JsonNode status = await().atMost(Duration.ofSeconds(5))
                    .until(
                            () -> get(id, "/actuator/raft"),
                            s -> s.path("configVersion").asLong() == 1
                                    && s.path("commitIndex").asLong()
                                            == s.path("lastApplied").asLong()
                                    && s.path("peers").findValues("reachable").stream()
                                            .allMatch(JsonNode::asBoolean)
                                    // peers[] may be up to 10 ticks old on the leader
                                    && (!id.equals(leader)
                                            || s.path("peers").findValues("matchIndex").stream()
                                                    .allMatch(m -> m.asLong()
                                                            == s.path("commitIndex")
                                                                    .asLong())));
            assertThat(fieldNames(status)).containsAll(CONTRACT_FIELDS);
            assertThat(status.get("nodeId").asText()).isEqualTo(id);
            assertThat(status.get("clusterId").asText()).isEqualTo("it");
            assertThat(status.get("role").asText()).isEqualTo(id.equals(leader) ? "LEADER" : "FOLLOWER");
            assertThat(status.get("leaderId").asText()).isEqualTo(leader);
            assertThat(status.get("leaderUrl").asText()).isEqualTo("127.0.0.1:" + cluster.grpcPort(leader));
            assertThat(status.get("term").asLong()).isPositive();
            assertThat(status.get("commitIndex").asLong()).isGreaterThanOrEqualTo(2); // the leader's no-op and the put
            assertThat(status.get("leaseValidForMillis").asLong() > 0).isEqualTo(id.equals(leader));
            assertThat(status.get("peers")).hasSize(2);
            for (JsonNode peer : status.get("peers")) {
                assertThat(fieldNames(peer)).containsAll(PEER_FIELDS);
                assertThat(peer.get("id").asText()).isNotEqualTo(id);
                assertThat(peer.get("url").asText())
                        .isEqualTo(
                                "127.0.0.1:" + cluster.grpcPort(peer.get("id").asText()));
                assertThat(peer.get("voting").asBoolean()).isTrue();
                assertThat(peer.get("reachable").asBoolean()).isTrue();
                if (id.equals(leader)) {
                    assertThat(peer.get("matchIndex").asLong())
                            .isEqualTo(status.get("commitIndex").asLong());
                    assertThat(peer.get("lastContactMillis").asLong()).isBetween(0L, 1000L);
                }
            }
        }
    }

    @Test
    @Order(2)
    void theRaftHealthIsUpWithRoleTermAndLeaderOnEveryNode() throws Exception {
        for (String id : cluster.running()) {
            JsonNode health = get(id, "/actuator/health");
            JsonNode raft = health.path("components").path("raft");
            assertThat(raft.path("status").asText()).isEqualTo("UP");
            assertThat(raft.path("details").path("leader").asText()).isEqualTo(leader);
            assertThat(raft.path("details").path("role").asText()).isEqualTo(id.equals(leader) ? "LEADER" : "FOLLOWER");
            assertThat(raft.path("details").path("term").asLong()).isPositive();
        }
    }

    @Test
    @Order(3)
    void theRaftMetersArePublished() throws Exception {
        String id = cluster.aFollower(leader);
        JsonNode names = get(id, "/actuator/metrics").get("names");
        assertThat(names)
                .extracting(JsonNode::asText)
                .contains(
                        "raft.term",
                        "raft.role",
                        "raft.elections",
                        "raft.leader.changes",
                        "raft.commit.latency",
                        "raft.config.version",
                        "raft.leader.only.skipped");
        assertThat(get(id, "/actuator/metrics/raft.term")
                        .path("measurements")
                        .get(0)
                        .path("value")
                        .asLong())
                .isEqualTo(cluster.leadership(leader).term());
        JsonNode leaderNames = await().atMost(Duration.ofSeconds(5))
                .until(
                        () -> get(leader, "/actuator/metrics").get("names"),
                        n -> n.toString().contains("raft.peer.heartbeat.rtt"));
        assertThat(leaderNames.toString()).contains("raft.peer.heartbeat.rtt");
        JsonNode role = get(leader, "/actuator/metrics/raft.role?tag=role:LEADER");
        assertThat(role.path("measurements").get(0).path("value").asDouble()).isEqualTo(1.0);
        assertThat(leaderNames.toString()).contains("raft.lease.renewal.margin", "raft.lease.lapses");
        // On loopback a renewal leaves most of the lease: far more than nothing, less than the whole.
        double margin = await().atMost(Duration.ofSeconds(5))
                .until(
                        () -> get(leader, "/actuator/metrics/raft.lease.renewal.margin")
                                .path("measurements")
                                .get(0)
                                .path("value")
                                .asDouble(),
                        m -> m > 0);
        assertThat(margin)
                .isLessThan(cluster.bean(leader, ClusterSettings.class)
                        .electionTimeout()
                        .toMillis());
    }

    @Test
    @Order(4)
    void theWriteOperationTransfersLeadershipToTheGivenNode() throws Exception {
        String target = cluster.aFollower(leader);
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(uri(leader, "/actuator/raft"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"target\":\"" + target + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode result = json.readTree(response.body());
        assertThat(result.get("ok").asBoolean()).as(response.body()).isTrue();
        assertThat(result.get("action").asText()).isEqualTo("transfer");
        assertThat(cluster.awaitAgreedLeader(Duration.ofSeconds(10))).isEqualTo(target);
        leader = target;
    }

    private static JsonNode get(String id, String path) throws Exception {
        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(uri(id, path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("GET %s on %s: %s", path, id, response.body())
                .isEqualTo(200);
        return json.readTree(response.body());
    }

    static URI uri(String id, String path) {
        int port =
                ((WebServerApplicationContext) cluster.node(id)).getWebServer().getPort();
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
