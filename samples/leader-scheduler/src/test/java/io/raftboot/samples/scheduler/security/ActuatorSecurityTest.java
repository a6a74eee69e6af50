package io.raftboot.samples.scheduler.security;

import static io.raftboot.samples.scheduler.security.ActuatorClient.STEP_DOWN;
import static io.raftboot.samples.scheduler.security.ActuatorClient.TRANSFER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftboot.samples.scheduler.LeaderSchedulerApplication;
import io.raftboot.spring.leadership.LeadershipService;
import java.net.http.HttpResponse;
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
 * The sample's real security configuration, on a one-node cluster over HTTP: the actuator's
 * write operation (POST /actuator/raft: transfer, step-down) needs the admin's credentials;
 * reads and the demo API stay open.
 */
@SpringBootTest(
        classes = LeaderSchedulerApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"sample.admin.username=ops", "sample.admin.password=" + ActuatorSecurityTest.PASSWORD})
@DirtiesContext // a running Raft node: stop it after this class
class ActuatorSecurityTest {

    static final String PASSWORD = "s3cret-admin-pw-for-tests";

    @DynamicPropertySource
    static void singleNode(DynamicPropertyRegistry registry) {
        SingleNodeProperties.properties().forEach((key, value) -> registry.add(key, () -> value));
    }

    @LocalServerPort
    int port;

    @Autowired
    LeadershipService leadership;

    ActuatorClient client;

    @BeforeEach
    void client() {
        client = new ActuatorClient(port);
    }

    @ParameterizedTest(name = "anonymous {0} -> 401")
    @ValueSource(strings = {TRANSFER, STEP_DOWN})
    void anonymousWriteIsRefused(String body) {
        HttpResponse<String> response = client.postJson("/actuator/raft", body);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
    }

    @ParameterizedTest(name = "wrong password {0} -> 401")
    @ValueSource(strings = {TRANSFER, STEP_DOWN})
    void wrongPasswordIsRefused(String body) {
        assertThat(client.postJson("/actuator/raft", body, "ops", PASSWORD + "x")
                        .statusCode())
                .isEqualTo(401);
        assertThat(client.postJson("/actuator/raft", body, "ops", "").statusCode())
                .isEqualTo(401);
    }

    @Test
    void rightPasswordOfAnotherUserIsRefused() {
        assertThat(client.postJson("/actuator/raft", TRANSFER, "admin", PASSWORD)
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void adminGetsTheOperationsOwnAnswer() {
        // n2 is no member of this one-node cluster: the transfer itself fails, after the security check.
        HttpResponse<String> transfer = client.postJson("/actuator/raft", TRANSFER, "ops", PASSWORD);
        assertThat(transfer.statusCode()).isEqualTo(200);
        assertThat(transfer.body()).contains("\"action\":\"transfer\"").contains("\"target\":\"n2\"");

        HttpResponse<String> stepDown = client.postJson("/actuator/raft", STEP_DOWN, "ops", PASSWORD);
        assertThat(stepDown.statusCode()).isEqualTo(200);
        assertThat(stepDown.body()).contains("\"action\":\"step-down\"");
    }

    @ParameterizedTest(name = "GET {0} -> 200 anonymously")
    @ValueSource(
            strings = {"/actuator/raft", "/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"})
    void readsAreOpen(String path) {
        assertThat(client.get(path).statusCode()).isEqualTo(200);
    }

    @Test
    void restOfTheActuatorNeedsTheAdmin() {
        // The links page, and whatever endpoint a later change exposes, are not open by accident.
        assertThat(client.get("/actuator").statusCode()).isEqualTo(401);
    }

    @Test
    void demoApiStaysOpenWithoutCsrfToken() {
        assertThat(client.get("/jobs").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(leadership::isLeader);
        HttpResponse<String> put = client.put("/config/color", "blue");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(client.get("/config/color").body()).contains("\"value\":\"blue\"");
    }
}
