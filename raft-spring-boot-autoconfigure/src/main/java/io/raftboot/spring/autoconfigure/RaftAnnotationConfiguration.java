package io.raftboot.spring.autoconfigure;

import io.raftboot.spring.annotation.AnnotatedRoles;
import io.raftboot.spring.annotation.LeaderOnlyBeanPostProcessor;
import io.raftboot.spring.annotation.LeaderOnlyInterceptor;
import io.raftboot.spring.annotation.LeaderOnlySkips;
import io.raftboot.spring.annotation.RoleEventListenerFactory;
import io.raftboot.spring.leadership.LeadershipService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;

/**
 * {@code @LeaderOnly} support. ({@code @OnLeader} and {@code @OnLeaderRevoked} without a role
 * need nothing here: they are meta-annotated {@code @EventListener}s; with a role, the
 * {@link RoleEventListenerFactory} binds them to that role's events.) The post-processors are
 * static and resolve the {@link LeadershipService} lazily, so they do not initialize the Raft
 * beans early. Imported with Raft off too, so the annotations still mean "never here" then.
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

    /** The role names of the annotations on the application's beans, which this node offers. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnMissingBean
    static AnnotatedRoles raftAnnotatedRoles() {
        return new AnnotatedRoles();
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnMissingBean
    static RoleEventListenerFactory raftRoleEventListenerFactory() {
        return new RoleEventListenerFactory();
    }
}
