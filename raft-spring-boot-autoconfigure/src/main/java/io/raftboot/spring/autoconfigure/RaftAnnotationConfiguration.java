package io.raftboot.spring.autoconfigure;

import io.raftboot.spring.annotation.LeaderOnlyBeanPostProcessor;
import io.raftboot.spring.annotation.LeaderOnlyInterceptor;
import io.raftboot.spring.annotation.LeaderOnlySkips;
import io.raftboot.spring.leadership.LeadershipService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;

/**
 * {@code @LeaderOnly} support. ({@code @OnLeader} and {@code @OnLeaderRevoked} need nothing here:
 * they are meta-annotated {@code @EventListener}s.) The post-processor is static and resolves the
 * {@link LeadershipService} lazily, so it does not initialize the Raft beans early.
 */
@Configuration(proxyBeanMethods = false)
class RaftAnnotationConfiguration {

    @Bean
    @ConditionalOnMissingBean
    LeaderOnlySkips raftLeaderOnlySkips() {
        return new LeaderOnlySkips();
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnMissingBean
    static LeaderOnlyBeanPostProcessor raftLeaderOnlyBeanPostProcessor(
            ObjectProvider<LeadershipService> leadership, ObjectProvider<LeaderOnlySkips> skips) {
        return new LeaderOnlyBeanPostProcessor(
                new LeaderOnlyInterceptor(leadership::getIfAvailable, skips::getIfAvailable));
    }
}
