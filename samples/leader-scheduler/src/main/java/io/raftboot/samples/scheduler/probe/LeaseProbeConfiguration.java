package io.raftboot.samples.scheduler.probe;

import io.raftboot.samples.scheduler.SampleRoles;
import io.raftboot.spring.autoconfigure.RaftProperties;
import io.raftboot.spring.leadership.LeadershipService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts the {@link LeaseProbe} and the {@link RoleProbe} (of the roles in {@link SampleRoles})
 * with {@code sample.lease-probe=true}: after the singletons exist
 * and before the lifecycle beans start, so the Raft node cannot lead before the probes look.
 * Nothing stops it: it has to outlive the context (see {@link LeaseProbe}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LeaseProbeProperties.class)
public class LeaseProbeConfiguration {

    @Bean
    @ConditionalOnProperty(name = "sample.lease-probe", havingValue = "true")
    SmartInitializingSingleton leaseProbeStarter(
            ObjectProvider<LeadershipService> leadership, RaftProperties properties) {
        return () -> LeaseProbe.create(leadership.getObject(), properties).start();
    }

    @Bean
    @ConditionalOnProperty(name = "sample.lease-probe", havingValue = "true")
    SmartInitializingSingleton roleProbeStarter(
            ObjectProvider<LeadershipService> leadership, RaftProperties properties) {
        return () -> RoleProbe.create(leadership.getObject(), properties, SampleRoles.ALL)
                .start();
    }
}
