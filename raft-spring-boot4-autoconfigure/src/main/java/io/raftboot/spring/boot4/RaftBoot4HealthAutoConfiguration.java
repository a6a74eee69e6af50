package io.raftboot.spring.boot4;

import io.raftboot.core.loop.RaftLoop;
import io.raftboot.spring.actuator.RaftHealth;
import io.raftboot.spring.autoconfigure.RaftAutoConfiguration;
import io.raftboot.spring.autoconfigure.RaftProperties;
import io.raftboot.spring.leadership.LeadershipTracker;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code raft} health indicator on Spring Boot 4, whose health API moved to
 * {@code org.springframework.boot.health.contributor}; Boot 3's is in RaftActuatorAutoConfiguration.
 * On Boot 3 the condition on the class name skips this configuration before any Boot 4 type is
 * loaded.
 */
@AutoConfiguration(after = RaftAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.AbstractHealthIndicator")
@ConditionalOnBean(RaftLoop.class)
public class RaftBoot4HealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "raftHealthIndicator")
    @ConditionalOnEnabledHealthIndicator("raft")
    public RaftBoot4HealthIndicator raftHealthIndicator(
            RaftLoop loop, LeadershipTracker tracker, RaftProperties properties) {
        return new RaftBoot4HealthIndicator(
                new RaftHealth(loop, tracker, properties.getHealth().getLeaderlessGrace()));
    }
}
