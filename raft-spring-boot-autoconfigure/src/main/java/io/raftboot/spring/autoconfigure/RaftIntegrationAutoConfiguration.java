package io.raftboot.spring.autoconfigure;

import io.raftboot.spring.integration.CandidateRoles;
import io.raftboot.spring.integration.IntegrationLeaderEventPublisher;
import io.raftboot.spring.integration.IntegrationRoleEventPublisher;
import io.raftboot.spring.integration.RaftLeaderContext;
import io.raftboot.spring.leadership.LeadershipService;
import io.raftboot.spring.roles.RoleOffers;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.integration.leader.Candidate;

/**
 * When spring-integration-core is present, Raft leadership is also published as Spring
 * Integration's {@code OnGrantedEvent} / {@code OnRevokedEvent} (role {@code raft.integration.role}),
 * and so is each named role this node gains or loses (role: the role's name). The application's
 * own {@code Candidate} beans are called with those events, and their roles are offered.
 */
@AutoConfiguration(after = RaftAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.integration.leader.event.OnGrantedEvent")
// RaftProperties: Raft is on (raft.enabled=false leaves a LeadershipService that never leads, and no role to map).
@ConditionalOnBean({LeadershipService.class, RaftProperties.class})
public class RaftIntegrationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public RaftLeaderContext raftLeaderContext(LeadershipService leadership, RaftProperties properties) {
        return new RaftLeaderContext(leadership, properties.getIntegration().getRole());
    }

    @Bean
    @ConditionalOnMissingBean
    public IntegrationLeaderEventPublisher raftIntegrationLeaderEventPublisher(
            ApplicationEventPublisher publisher, RaftLeaderContext context) {
        return new IntegrationLeaderEventPublisher(publisher, context);
    }

    /** The application's own {@code Candidate} beans: their roles offered, their callbacks called. */
    @Bean
    @ConditionalOnMissingBean
    public CandidateRoles raftCandidateRoles(ObjectProvider<Candidate> candidates, RaftProperties properties) {
        return new CandidateRoles(candidates, properties.getIntegration().getRole());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(RoleOffers.class)
    public IntegrationRoleEventPublisher raftIntegrationRoleEventPublisher(
            ApplicationEventPublisher publisher, LeadershipService leadership, RoleOffers offers) {
        return new IntegrationRoleEventPublisher(publisher, leadership, offers);
    }
}
