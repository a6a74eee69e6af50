package io.raftboot.spring.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.raftboot.core.loop.RaftLoop;
import io.raftboot.core.store.ConfigStore;
import io.raftboot.spring.annotation.LeaderOnlySkips;
import io.raftboot.spring.grpc.PeerContacts;
import io.raftboot.spring.grpc.security.RequestRefusals;
import io.raftboot.spring.metrics.RaftMetrics;
import io.raftboot.spring.metrics.RaftSecurityMetrics;
import io.raftboot.spring.metrics.RoleMetrics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** Raft meters, only when Micrometer is on the classpath (bound to every MeterRegistry by Boot). */
@AutoConfiguration(after = RaftAutoConfiguration.class)
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(RaftLoop.class)
public class RaftMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public RaftMetrics raftMetrics(
            RaftLoop loop, ConfigStore store, PeerContacts contacts, ObjectProvider<LeaderOnlySkips> skips) {
        return new RaftMetrics(loop, store, contacts, skips.getIfAvailable());
    }

    @Bean
    @ConditionalOnMissingBean
    public RoleMetrics raftRoleMetrics(RaftLoop loop) {
        return new RoleMetrics(loop);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(RequestRefusals.class)
    public RaftSecurityMetrics raftSecurityMetrics(RequestRefusals refusals) {
        return new RaftSecurityMetrics(refusals);
    }
}
