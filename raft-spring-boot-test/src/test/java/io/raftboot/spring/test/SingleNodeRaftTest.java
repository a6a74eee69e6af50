package io.raftboot.spring.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftboot.spring.config.ReplicatedConfig;
import io.raftboot.spring.leadership.LeadershipService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/** A user's own {@code @SpringBootTest}, given a one-node cluster by the annotation. */
@SingleNodeRaft
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SingleNodeRaftTest {

    @Autowired
    LeadershipService leadership;

    @Autowired
    ReplicatedConfig config;

    @Autowired
    UserApplication.Report report;

    @Autowired
    TestRestTemplate http;

    @Value("${raft.data-dir}")
    Path dataDir;

    @Test
    void theNodeLeadsRunsLeaderOnlyJobsAndAcceptsWrites() {
        await().atMost(Duration.ofSeconds(10)).until(leadership::isLeader);
        assertThat(leadership.nodeId())
                .as("raft.node-id of application.properties")
                .isEqualTo("n1");

        report.run();
        assertThat(report.runs()).isEqualTo(1);

        assertThat(config.put("feature.x", "on")).succeedsWithin(Duration.ofSeconds(5));
        assertThat(config.get("feature.x")).contains("on");
    }

    @Test
    void theDataLivesInATemporaryDirectoryNotTheApplicationsOne() {
        assertThat(dataDir.toString()).isNotEqualTo("/var/lib/app/raft");
        assertThat(dataDir).startsWith(Path.of(System.getProperty("java.io.tmpdir")));
        assertThat(Files.isDirectory(dataDir)).isTrue();
    }

    @Test
    void theActuatorEndpointReadsButRefusesWritesByDefault() {
        await().atMost(Duration.ofSeconds(10)).until(leadership::isLeader);
        assertThat(http.getForEntity("/actuator/raft", String.class).getBody()).contains("\"role\":\"LEADER\"");

        HttpHeaders json = new HttpHeaders();
        json.setContentType(MediaType.APPLICATION_JSON);
        var stepDown = http.postForEntity("/actuator/raft", new HttpEntity<>("{}", json), String.class);
        assertThat(stepDown.getStatusCode().is2xxSuccessful())
                .as("POST /actuator/raft answered %s: %s", stepDown.getStatusCode(), stepDown.getBody())
                .isFalse();
        assertThat(leadership.isLeader()).isTrue();
    }
}
