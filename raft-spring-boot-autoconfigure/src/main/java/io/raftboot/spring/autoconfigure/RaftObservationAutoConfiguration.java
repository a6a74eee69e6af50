package io.raftboot.spring.autoconfigure;

import io.micrometer.observation.ObservationRegistry;
import io.raftboot.core.loop.RaftLoop;
import io.raftboot.spring.cluster.ClusterSettings;
import io.raftboot.spring.observation.ElectionObservations;
import io.raftboot.spring.observation.RaftObservationPostProcessor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;

/**
 * Micrometer Observations around elections, leadership transfers and config writes, so traces and
 * observation handlers see them (the meters of {@link RaftMetricsAutoConfiguration} stay as they
 * are). Only with an {@link ObservationRegistry} bean: Spring Boot's actuator makes one (its
 * auto-configuration moved package in Boot 4; both names are listed).
 */
@AutoConfiguration(
        after = RaftAutoConfiguration.class,
        afterName = {
            "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration",
            "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"
        })
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean({RaftLoop.class, ObservationRegistry.class})
public class RaftObservationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public ElectionObservations raftElectionObservations(
            ObservationRegistry registry, RaftLoop loop, ClusterSettings settings) {
        ElectionObservations observations = new ElectionObservations(registry, settings.nodeId());
        loop.addListener(observations);
        return observations;
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnMissingBean
    static RaftObservationPostProcessor raftObservationPostProcessor(ObjectProvider<ObservationRegistry> registry) {
        return new RaftObservationPostProcessor(registry::getObject);
    }
}
