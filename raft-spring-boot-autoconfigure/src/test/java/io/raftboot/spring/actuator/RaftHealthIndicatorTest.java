package io.raftboot.spring.actuator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftboot.spring.autoconfigure.RaftActuatorAutoConfiguration;
import io.raftboot.spring.autoconfigure.RaftAutoConfiguration;
import io.raftboot.testsupport.process.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The raft health: UP with a leader or within the grace of an election, DOWN after it. */
class RaftHealthIndicatorTest {

    @TempDir
    Path data;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(
                        AutoConfigurations.of(RaftAutoConfiguration.class, RaftActuatorAutoConfiguration.class))
                .withPropertyValues("raft.node-id=n1", "raft.data-dir=" + data);
    }

    @Test
    void aNodeThatLeadsAloneIsUpWithRoleTermAndLeader() {
        runner().withPropertyValues("raft.peers.n1=127.0.0.1:" + FreePorts.any())
                .run(ctx -> {
                    RaftHealthIndicator health = ctx.getBean(RaftHealthIndicator.class);
                    Health h = await().atMost(Duration.ofSeconds(5))
                            .until(
                                    () -> health.health(),
                                    x -> "n1".equals(x.getDetails().get("leader")));
                    assertThat(h.getStatus()).isEqualTo(Status.UP);
                    assertThat(h.getDetails()).containsEntry("role", "LEADER").containsKey("term");
                });
    }

    @Test
    void aNodeWithoutQuorumIsUpDuringTheGraceThenDown() {
        runner().withPropertyValues(
                        "raft.peers.n1=127.0.0.1:" + FreePorts.any(),
                        "raft.peers.n2=127.0.0.1:" + FreePorts.any(),
                        "raft.peers.n3=127.0.0.1:" + FreePorts.any(),
                        "raft.health.leaderless-grace=1s")
                .run(ctx -> {
                    RaftHealthIndicator health = ctx.getBean(RaftHealthIndicator.class);
                    assertThat(health.health().getStatus()).isEqualTo(Status.UP);
                    Health down = await().atMost(Duration.ofSeconds(5))
                            .until(() -> health.health(), x -> Status.DOWN.equals(x.getStatus()));
                    assertThat(down.getDetails())
                            .containsEntry("leader", "unknown")
                            .containsKey("leaderlessForMillis");
                    assertThat((String) down.getDetails().get("reason")).contains("raft.health.leaderless-grace");
                });
    }
}
