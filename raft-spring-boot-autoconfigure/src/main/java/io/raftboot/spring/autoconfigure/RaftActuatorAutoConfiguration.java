package io.raftboot.spring.autoconfigure;

import io.raftboot.core.loop.RaftLoop;
import io.raftboot.spring.actuator.RaftEndpoint;
import io.raftboot.spring.actuator.RaftHealthIndicator;
import io.raftboot.spring.actuator.RaftStatusReporter;
import io.raftboot.spring.leadership.LeadershipService;
import io.raftboot.spring.leadership.LeadershipTracker;
import io.raftboot.spring.membership.MembershipService;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The {@code raft} actuator endpoint and health indicator, when Spring Boot Actuator is present. */
@AutoConfiguration(after = RaftAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(RaftLoop.class)
public class RaftActuatorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    public RaftEndpoint raftEndpoint(
            RaftStatusReporter reporter,
            LeadershipService leadership,
            MembershipService membership,
            RaftProperties properties) {
        return new RaftEndpoint(
                reporter,
                leadership,
                properties
                        .getShutdown()
                        .getHandoffTimeout()
                        .plus(properties.getElectionTimeout().multipliedBy(2)),
                membership,
                properties.getMembership().getCatchUpTimeout().plus(properties.getWriteTimeout()));
    }

    @Bean
    @ConditionalOnMissingBean(name = "raftHealthIndicator")
    @ConditionalOnEnabledHealthIndicator("raft")
    public RaftHealthIndicator raftHealthIndicator(
            RaftLoop loop, LeadershipTracker tracker, RaftProperties properties) {
        return new RaftHealthIndicator(loop, tracker, properties.getHealth().getLeaderlessGrace());
    }
}
