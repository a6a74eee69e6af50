package io.raftboot.samples.scheduler.security;

import static io.raftboot.samples.scheduler.security.ActuatorClient.STEP_DOWN;
import static io.raftboot.samples.scheduler.security.ActuatorClient.TRANSFER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftboot.samples.scheduler.LeaderSchedulerApplication;
import io.raftboot.spring.leadership.LeadershipService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The admin password appears nowhere in the output of a node's life: startup (properties,
 * security setup), successful and failed logins with Spring Security at TRACE, and shutdown.
 */
@ExtendWith(OutputCaptureExtension.class)
class AdminPasswordNotLoggedTest {

    private static final String PASSWORD = "Xq7-never-in-logs-9Lm";

    @Test
    void passwordIsInNoLogLine(CapturedOutput output) {
        List<String> args = new ArrayList<>(SingleNodeProperties.args());
        args.add("--sample.admin.password=" + PASSWORD);
        // As verbose as an operator debugging a login would make it.
        args.add("--logging.level.org.springframework.security=TRACE");
        args.add("--logging.level.io.raftboot=DEBUG");
        args.add("--logging.level.io.raftboot.samples=DEBUG"); // logback-test.xml names it at INFO
        try (ConfigurableApplicationContext app =
                new SpringApplicationBuilder(LeaderSchedulerApplication.class).run(args.toArray(String[]::new))) {
            ActuatorClient client = new ActuatorClient(
                    ((WebServerApplicationContext) app).getWebServer().getPort());
            await().atMost(Duration.ofSeconds(20)).until(app.getBean(LeadershipService.class)::isLeader);

            assertThat(client.postJson("/actuator/raft", STEP_DOWN, "admin", PASSWORD)
                            .statusCode())
                    .isEqualTo(200);
            assertThat(client.postJson("/actuator/raft", TRANSFER, "admin", PASSWORD + "-wrong")
                            .statusCode())
                    .isEqualTo(401);
            assertThat(client.postJson("/actuator/raft", TRANSFER, "nobody", PASSWORD)
                            .statusCode())
                    .isEqualTo(401);
            assertThat(app.getBean(AdminProperties.class).toString()).doesNotContain(PASSWORD);
        }
        // The capture works: the node's own lines and Spring Security's are in it.
        assertThat(output).contains("Node n1 leads now").contains("Securing POST /actuator/raft");
        String basic = Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes());
        assertThat(output).doesNotContain(PASSWORD).doesNotContain(basic);
    }
}
