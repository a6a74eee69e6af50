package io.raftboot.spring.autoconfigure;

import io.raftboot.core.loop.RaftLoop;
import io.raftboot.spring.actuator.RaftEndpoint;
import io.raftboot.spring.actuator.RaftHealthIndicator;
import io.raftboot.spring.actuator.RaftInfoContributor;
import io.raftboot.spring.actuator.RaftStatusReporter;
import io.raftboot.spring.cluster.ClusterSettings;
import io.raftboot.spring.leadership.LeadershipService;
import io.raftboot.spring.leadership.LeadershipTracker;
import io.raftboot.spring.membership.MembershipService;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.autoconfigure.info.ConditionalOnEnabledInfoContributor;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code raft} actuator endpoint, health indicator and info contributor, when Spring Boot Actuator is present. */
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
    @ConditionalOnMissingBean
    @ConditionalOnEnabledInfoContributor("raft")
    public RaftInfoContributor raftInfoContributor(RaftLoop loop, ClusterSettings settings) {
        return new RaftInfoContributor(loop, settings.clusterId());
    }

    /**
     * The health indicator of Spring Boot 3's health API. A class of its own, read only where
     * that API exists: on Boot 4 it moved (raft-spring-boot-autoconfigure-boot4 has that line's
     * indicator), and a bean method returning a missing type would fail this whole class.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.AbstractHealthIndicator")
    static class Boot3Health {

        @Bean
        @ConditionalOnMissingBean(name = "raftHealthIndicator")
        @ConditionalOnEnabledHealthIndicator("raft")
        public RaftHealthIndicator raftHealthIndicator(
                RaftLoop loop, LeadershipTracker tracker, RaftProperties properties) {
            return new RaftHealthIndicator(loop, tracker, properties.getHealth().getLeaderlessGrace());
        }
    }
}
