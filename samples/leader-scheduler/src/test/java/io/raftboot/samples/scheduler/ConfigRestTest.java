package io.raftboot.samples.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftboot.samples.scheduler.probe.LeaseProbeLog;
import io.raftboot.samples.scheduler.security.SingleNodeProperties;
import io.raftboot.spring.autoconfigure.RaftProperties;
import io.raftboot.spring.leadership.LeadershipService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The config REST API of a one-node cluster over real HTTP (the servlet filters included, which
 * MockMvc would not run the same way): the value is the body as sent whatever the content type,
 * compare-and-set and delete answer what happened, and the lease probe writes its file.
 */
@SpringBootTest(
        classes = LeaderSchedulerApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "sample.lease-probe=true")
@DirtiesContext // a running Raft node: stop it after this class
class ConfigRestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void singleNode(DynamicPropertyRegistry registry) {
        SingleNodeProperties.properties().forEach((key, value) -> registry.add(key, () -> value));
    }

    @LocalServerPort
    int port;

    @Autowired
    LeadershipService leadership;

    @Autowired
    RaftProperties raft;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void leading() {
        await().atMost(Duration.ofSeconds(20)).until(leadership::isLeader);
    }

    @ParameterizedTest(name = "PUT with Content-Type {0} stores the body as sent")
    @ValueSource(
            strings = {
                "application/x-www-form-urlencoded",
                "text/plain",
                "application/octet-stream",
                "application/json",
                "text/plain; charset=UTF-8"
            })
    void theValueIsTheBodyAsSentWhateverTheContentType(String contentType) throws Exception {
        String key = "color-" + contentType.replaceAll("[^a-z]", "");
        assertThat(send(put(key, "blue", contentType)).statusCode()).isEqualTo(200);

        // What `curl -X PUT -d red http://.../config/color` sends: application/x-www-form-urlencoded.
        HttpResponse<String> red = send(put(key, "red", contentType));
        assertThat(red.statusCode()).as(red.body()).isEqualTo(200);
        assertThat(json(red).get("value").asText()).isEqualTo("red");
        assertThat(json(send(get("/config/" + key))).get("value").asText()).isEqualTo("red");
    }

    @Test
    void aFormEncodedBodyThatLooksLikeParametersIsStillStoredVerbatim() throws Exception {
        HttpResponse<String> put = send(put("form", "a=1&b=%20x", "application/x-www-form-urlencoded"));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(json(send(get("/config/form"))).get("value").asText()).isEqualTo("a=1&b=%20x");
    }

    @Test
    void aFormEncodedBodySentInChunksIsStoredToo() throws Exception {
        HttpResponse<String> put = send(request("/config/chunked")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofString("red")))
                .build());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(json(send(get("/config/chunked"))).get("value").asText()).isEqualTo("red");
    }

    @Test
    void compareAndSetAppliesOnTheExpectedVersionOnlyAndTellsTheCurrentOne() throws Exception {
        HttpResponse<String> created = send(put("lock?expectedVersion=0", "owner-a", "text/plain"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(json(created).get("version").asLong()).isEqualTo(1);

        HttpResponse<String> lost = send(put("lock?expectedVersion=0", "owner-b", "text/plain"));
        assertThat(lost.statusCode()).as(lost.body()).isEqualTo(409);
        assertThat(json(lost).get("version").asLong()).isEqualTo(1);
        assertThat(json(lost).get("outcomeUnknown").asBoolean()).isFalse();

        HttpResponse<String> moved = send(put("lock?expectedVersion=1", "owner-c", "text/plain"));
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        assertThat(json(moved).get("version").asLong()).isEqualTo(2);
        assertThat(json(send(get("/config/lock?consistency=linearizable")))
                        .get("value")
                        .asText())
                .isEqualTo("owner-c");
    }

    @Test
    void deleteRemovesTheKeyAndA404SaysItWasAbsent() throws Exception {
        send(put("doomed", "x", "text/plain"));
        HttpResponse<String> deleted = send(delete("doomed"));
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(json(deleted).get("deleted").asBoolean()).isTrue();
        assertThat(json(deleted).get("previousVersion").asLong()).isEqualTo(1);
        assertThat(send(get("/config/doomed")).statusCode()).isEqualTo(404);

        HttpResponse<String> again = send(delete("doomed"));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(404);
        assertThat(json(again).get("outcomeUnknown").asBoolean()).isFalse();
    }

    @Test
    void theLeaseProbeLogsThatThisNodeLeads() {
        Path file = raft.resolvedDataDir().resolve(LeaseProbeLog.FILE_NAME);
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(Files.readAllLines(file))
                        .anySatisfy(line -> assertThat(line).matches("-?\\d+ n1 \\d+ true")));
    }

    private HttpRequest put(String keyAndQuery, String body, String contentType) {
        return request("/config/" + keyAndQuery)
                .header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private HttpRequest delete(String key) {
        return request("/config/" + key).DELETE().build();
    }

    private HttpRequest get(String path) {
        return request(path).GET().build();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30));
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }
}
