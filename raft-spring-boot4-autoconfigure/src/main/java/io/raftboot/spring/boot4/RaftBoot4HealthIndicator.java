package io.raftboot.spring.boot4;

import io.raftboot.spring.actuator.RaftHealth;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/** The {@code raft} health ({@link RaftHealth}) as a Spring Boot 4 health indicator. */
public class RaftBoot4HealthIndicator extends AbstractHealthIndicator {

    private final RaftHealth health;

    public RaftBoot4HealthIndicator(RaftHealth health) {
        super("Raft health check failed");
        this.health = health;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        RaftHealth.Result result = health.check();
        (result.up() ? builder.up() : builder.down()).withDetails(result.details());
    }
}
