package io.raftboot.spring.autoconfigure;

import io.raftboot.core.client.CommandForwarder;
import io.raftboot.core.loop.RaftLoop;
import io.raftboot.core.store.ConfigStore;
import io.raftboot.spring.actuator.RaftStatusReporter;
import io.raftboot.spring.annotation.AnnotatedRoles;
import io.raftboot.spring.cluster.ClusterSettings;
import io.raftboot.spring.cluster.PeerDirectory;
import io.raftboot.spring.config.CatchUpBeforeReady;
import io.raftboot.spring.config.ConfigChangePublisher;
import io.raftboot.spring.config.LeaderCommandHandler;
import io.raftboot.spring.config.RaftReplicatedConfig;
import io.raftboot.spring.config.ReplicatedConfig;
import io.raftboot.spring.config.WriteObserver;
import io.raftboot.spring.grpc.GrpcTransport;
import io.raftboot.spring.grpc.PeerContacts;
import io.raftboot.spring.leadership.LeadershipListener;
import io.raftboot.spring.leadership.LeadershipService;
import io.raftboot.spring.leadership.LeadershipTracker;
import io.raftboot.spring.leadership.RaftLeadershipService;
import io.raftboot.spring.leadership.ReadinessCampaigns;
import io.raftboot.spring.leadership.RoleTracker;
import io.raftboot.spring.membership.MembershipService;
import io.raftboot.spring.membership.RaftMembershipService;
import io.raftboot.spring.roles.RoleDefinitions;
import io.raftboot.spring.roles.RoleOffers;
import io.raftboot.spring.roles.RoleSource;
import io.raftboot.spring.support.RaftExecutors;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What applications use: {@link LeadershipService}, {@link ReplicatedConfig}, and their events. */
@Configuration(proxyBeanMethods = false)
class RaftServicesConfiguration {

    @Bean
    @ConditionalOnMissingBean
    LeadershipTracker raftLeadershipTracker(
            RaftLoop loop,
            ApplicationEventPublisher publisher,
            RaftExecutors executors,
            ObjectProvider<LeadershipListener> listeners) {
        return new LeadershipTracker(
                loop, publisher, executors, () -> listeners.orderedStream().toList());
    }

    @Bean
    @ConditionalOnMissingBean
    RoleTracker raftRoleTracker(RaftLoop loop, ApplicationEventPublisher publisher, RaftExecutors executors) {
        return new RoleTracker(loop, publisher, executors);
    }

    /** raft.roles.* and raft.availability.*, checked: a bad role fails the start here. */
    @Bean
    @ConditionalOnMissingBean
    RoleDefinitions raftRoleDefinitions(RaftProperties properties, ClusterSettings settings) {
        return RoleSettingsValidator.validate(properties, settings.nodeId());
    }

    /**
     * What this node offers to hold. A yielded role (Spring Integration's Context.yield()) stays
     * withdrawn for two election timeouts: time for the leader to revoke it and grant it elsewhere.
     */
    @Bean
    @ConditionalOnMissingBean
    RoleOffers raftRoleOffers(
            RaftLoop loop,
            RoleDefinitions definitions,
            ObjectProvider<AnnotatedRoles> annotated,
            ObjectProvider<RoleSource> sources,
            RaftExecutors executors,
            ClusterSettings settings) {
        return new RoleOffers(
                loop,
                definitions,
                () -> {
                    Set<String> names = new java.util.TreeSet<>();
                    AnnotatedRoles found = annotated.getIfAvailable();
                    if (found != null) {
                        names.addAll(found.names());
                    }
                    sources.orderedStream().forEach(source -> names.addAll(source.roleNames()));
                    return names;
                },
                executors,
                settings.electionTimeout().multipliedBy(2));
    }

    /** Leadership that follows readiness, when asked for (off by default: see the property). */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(name = "raft.availability.campaign-when-ready", havingValue = "true")
    ReadinessCampaigns raftReadinessCampaigns(RaftLoop loop, LeadershipService leadership) {
        // Right after RaftLifecycle: the loop runs, and its first election timeout is still ahead.
        return new ReadinessCampaigns(loop, leadership, RaftLifecycle.PHASE + 1);
    }

    @Bean
    @ConditionalOnMissingBean
    LeadershipService leadershipService(RaftLoop loop, ClusterSettings settings, LeadershipTracker tracker) {
        return new RaftLeadershipService(loop, settings, tracker);
    }

    @Bean
    @ConditionalOnMissingBean
    MembershipService membershipService(RaftLoop loop, ClusterSettings settings, RaftProperties properties) {
        return new RaftMembershipService(
                loop,
                settings.writeTimeout(),
                properties.getMembership().getCatchUpTimeout(),
                settings.heartbeatInterval());
    }

    @Bean
    @ConditionalOnMissingBean
    ConfigChangePublisher raftConfigChangePublisher(
            ClusterSettings settings, ConfigStore store, ApplicationEventPublisher publisher, RaftExecutors executors) {
        return new ConfigChangePublisher(settings.nodeId(), store, publisher, executors);
    }

    @Bean
    @ConditionalOnMissingBean
    LeaderCommandHandler raftLeaderCommandHandler(RaftLoop loop, ConfigStore store, ClusterSettings settings) {
        return new LeaderCommandHandler(loop, store, settings.writeTimeout());
    }

    @Bean
    @ConditionalOnMissingBean
    ReplicatedConfig replicatedConfig(
            RaftLoop loop,
            ConfigStore store,
            ClusterSettings settings,
            LeaderCommandHandler leader,
            ObjectProvider<CommandForwarder> forwarder,
            RaftExecutors executors,
            ConfigChangePublisher changes,
            ObjectProvider<WriteObserver> observers) {
        WriteObserver observer = latency -> observers.orderedStream().forEach(o -> o.committed(latency));
        return new RaftReplicatedConfig(
                loop, store, settings, leader, forwarder::getIfAvailable, executors, changes, observer);
    }

    /** raft.health.readiness-after-catch-up: readiness waits for one successful sync with the leader. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "raft.health", name = "readiness-after-catch-up", havingValue = "true")
    CatchUpBeforeReady raftCatchUpBeforeReady(
            ReplicatedConfig config, ClusterSettings settings, RaftProperties properties) {
        return new CatchUpBeforeReady(
                config, settings.electionTimeout(), properties.getMembership().getCatchUpTimeout());
    }

    @Bean
    @ConditionalOnMissingBean
    RaftStatusReporter raftStatusReporter(
            RaftLoop loop,
            ClusterSettings settings,
            PeerDirectory directory,
            ConfigStore store,
            PeerContacts contacts,
            ObjectProvider<GrpcTransport> transport) {
        GrpcTransport grpc = transport.getIfAvailable();
        return new RaftStatusReporter(
                loop, settings, directory, store, contacts, grpc != null ? grpc::isReachable : contacts::isReachable);
    }
}
