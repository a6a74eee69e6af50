package io.raftboot.samples.scheduler.security;

import static io.raftboot.samples.scheduler.security.ActuatorClient.STEP_DOWN;
import static io.raftboot.samples.scheduler.security.ActuatorClient.TRANSFER;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftboot.samples.scheduler.LeaderSchedulerApplication;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Without an admin password nobody may call a write operation, and Spring Boot does not step in
 * with a generated password that it would print to the log. Started inside the test method so
 * that the startup log is captured.
 */
@ExtendWith(OutputCaptureExtension.class)
class NoAdminPasswordTest {

    @Test
    void writesAreRefusedForEveryoneAndNoPasswordIsGenerated(CapturedOutput output) {
        List<String> args = new ArrayList<>(SingleNodeProperties.args());
        args.add("--sample.admin.password="); // also overrides an ADMIN_PASSWORD of the environment
        try (ConfigurableApplicationContext app =
                new SpringApplicationBuilder(LeaderSchedulerApplication.class).run(args.toArray(String[]::new))) {
            ActuatorClient client = new ActuatorClient(
                    ((WebServerApplicationContext) app).getWebServer().getPort());

            for (String body : List.of(TRANSFER, STEP_DOWN)) {
                assertThat(client.postJson("/actuator/raft", body).statusCode()).isEqualTo(401);
                assertThat(client.postJson("/actuator/raft", body, "admin", "").statusCode())
                        .isEqualTo(401);
                assertThat(client.postJson("/actuator/raft", body, "admin", "admin")
                                .statusCode())
                        .isEqualTo(401);
            }
            assertThat(client.get("/actuator/raft").statusCode()).isEqualTo(200);
            assertThat(client.get("/actuator/health").statusCode()).isEqualTo(200);
        }
        assertThat(output)
                .contains("No admin password is set (ADMIN_PASSWORD)")
                .doesNotContain("Using generated security password");
    }
}
