package io.raftboot.spring.autoconfigure;

import io.raftboot.core.config.ConfigStore;
import io.raftboot.core.loop.RaftLoop;
import io.raftboot.core.loop.Transport;
import io.raftboot.spring.cluster.ClusterSettings;
import io.raftboot.spring.grpc.ClusterGuard;
import io.raftboot.spring.grpc.ForwardHandler;
import io.raftboot.spring.grpc.GrpcTransport;
import io.raftboot.spring.grpc.LeaderForwardHandler;
import io.raftboot.spring.grpc.MessageMapper;
import io.raftboot.spring.grpc.MessageRelay;
import io.raftboot.spring.grpc.PeerContacts;
import io.raftboot.spring.grpc.PendingReplies;
import io.raftboot.spring.grpc.RaftGrpcRegistration;
import io.raftboot.spring.grpc.RaftServer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The gRPC side of the node: the {@link RaftServer} service, its registration with net.devh's
 * server (only when net.devh is present), and the peer channels ({@link GrpcTransport}).
 */
@Configuration(proxyBeanMethods = false)
class RaftGrpcConfiguration {

    @Bean
    @ConditionalOnMissingBean
    PeerContacts raftPeerContacts(ClusterSettings settings) {
        // A peer heard within two election timeouts counts as reachable.
        return new PeerContacts(settings.tick().multipliedBy(2L * settings.electionTicks()));
    }

    @Bean
    @ConditionalOnMissingBean
    MessageMapper raftMessageMapper(ClusterSettings settings, ConfigStore store) {
        return new MessageMapper(settings, store::configVersion);
    }

    @Bean
    @ConditionalOnMissingBean
    PendingReplies raftPendingReplies(MessageMapper mapper) {
        return new PendingReplies(mapper);
    }

    @Bean
    @ConditionalOnMissingBean
    ClusterGuard raftClusterGuard(ClusterSettings settings) {
        return new ClusterGuard(settings);
    }

    @Bean
    @ConditionalOnMissingBean
    MessageRelay raftMessageRelay() {
        return new MessageRelay();
    }

    @Bean
    @ConditionalOnMissingBean(Transport.class)
    GrpcTransport raftTransport(ClusterSettings settings, MessageMapper mapper, PendingReplies pending,
                                PeerContacts contacts, MessageRelay relay) {
        return new GrpcTransport(settings, mapper, pending, contacts, relay);
    }

    @Bean
    @ConditionalOnMissingBean
    ForwardHandler raftForwardHandler(RaftLoop loop, ConfigStore store, ClusterSettings settings) {
        return new LeaderForwardHandler(loop, store, settings);
    }

    @Bean
    @ConditionalOnMissingBean
    RaftServer raftServer(MessageMapper mapper, ClusterGuard guard, PendingReplies pending, PeerContacts contacts,
                          MessageRelay relay, ForwardHandler forwardHandler, RaftLoop loop) {
        return new RaftServer(mapper, guard, pending, contacts, relay, forwardHandler, () -> loop.status().term());
    }

    /** The only bean that touches net.devh: registers {@link RaftServer} with its gRPC server. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "net.devh.boot.grpc.server.service.GrpcService")
    static class NetDevhRegistration {

        @Bean
        @ConditionalOnMissingBean
        RaftGrpcRegistration raftGrpcRegistration(RaftServer server) {
            return new RaftGrpcRegistration(server);
        }
    }
}
