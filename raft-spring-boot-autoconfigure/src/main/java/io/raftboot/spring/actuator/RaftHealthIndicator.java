package io.raftboot.spring.actuator;

import io.raftboot.core.loop.RaftLoop;
import io.raftboot.spring.leadership.LeadershipTracker;
import java.time.Duration;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/** The {@code raft} health ({@link RaftHealth}) as a Spring Boot 3 health indicator. */
public class RaftHealthIndicator extends AbstractHealthIndicator {

    private final RaftHealth health;

    public RaftHealthIndicator(RaftLoop loop, LeadershipTracker tracker, Duration grace) {
        super("Raft health check failed");
        this.health = new RaftHealth(loop, tracker, grace);
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        RaftHealth.Result result = health.check();
        (result.up() ? builder.up() : builder.down()).withDetails(result.details());
    }
}
