package io.raftboot.spring.autoconfigure;

import io.raftboot.core.loop.RaftLoop;
import io.raftboot.core.loop.Transport;
import io.raftboot.core.store.ConfigStore;
import io.raftboot.spring.cluster.ClusterSettings;
import io.raftboot.spring.cluster.PeerDirectory;
import io.raftboot.spring.config.LeaderCommandHandler;
import io.raftboot.spring.grpc.CallExecutorServerConfigurer;
import io.raftboot.spring.grpc.ClusterGuard;
import io.raftboot.spring.grpc.CrashDetectionServerConfigurer;
import io.raftboot.spring.grpc.GrpcJoinRequester;
import io.raftboot.spring.grpc.GrpcTransport;
import io.raftboot.spring.grpc.LeaderCrashDetector;
import io.raftboot.spring.grpc.MessageMapper;
import io.raftboot.spring.grpc.MessageRelay;
import io.raftboot.spring.grpc.PeerContacts;
import io.raftboot.spring.grpc.PendingReplies;
import io.raftboot.spring.grpc.RaftCallExecutor;
import io.raftboot.spring.grpc.RaftGrpcRegistration;
import io.raftboot.spring.grpc.RaftGrpcServer;
import io.raftboot.spring.grpc.RaftServer;
import io.raftboot.spring.grpc.RaftServerTls;
import io.raftboot.spring.grpc.RaftServiceFilterCustomizer;
import io.raftboot.spring.grpc.RaftServiceOffApplicationServer;
import io.raftboot.spring.grpc.RaftSpringGrpcService;
import io.raftboot.spring.grpc.SpringGrpcServerCustomizers;
import io.raftboot.spring.grpc.aot.RaftRuntimeHints;
import io.raftboot.spring.grpc.security.PeerSecurity;
import io.raftboot.spring.grpc.security.RequestRefusals;
import io.raftboot.spring.membership.AutoJoin;
import io.raftboot.spring.membership.JoinHandler;
import io.raftboot.spring.membership.MembershipService;
import java.net.InetSocketAddress;
import net.devh.boot.grpc.server.serverfactory.GrpcServerConfigurer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.env.Environment;

/**
 * The gRPC side of the node: the {@link RaftServer} service, the server that serves it (the
 * starter's own, or the application's net.devh or Spring gRPC server), and the peer channels
 * ({@link GrpcTransport}).
 */
@Configuration(proxyBeanMethods = false)
@ImportRuntimeHints(RaftRuntimeHints.class)
class RaftGrpcConfiguration {

    /** How often a joining node asks again; a join takes a commit, far less than this. */
    static final java.time.Duration AUTO_JOIN_RETRY_INTERVAL = java.time.Duration.ofSeconds(1);

    @Bean
    @ConditionalOnMissingBean
    PeerContacts raftPeerContacts(ClusterSettings settings) {
        // A peer heard within two election timeouts counts as reachable.
        return new PeerContacts(settings.tick().multipliedBy(2L * settings.electionTicks()));
    }

    @Bean
    @ConditionalOnMissingBean
    MessageMapper raftMessageMapper(ClusterSettings settings, PeerDirectory directory, ConfigStore store) {
        return new MessageMapper(settings, directory, store::configVersion);
    }

    @Bean
    @ConditionalOnMissingBean
    PendingReplies raftPendingReplies(MessageMapper mapper) {
        return new PendingReplies(mapper);
    }

    @Bean
    @ConditionalOnMissingBean
    RequestRefusals raftRequestRefusals(ClusterSettings settings) {
        return new RequestRefusals(settings.nodeId());
    }

    /** Mutual TLS (raft.tls.*), shared secret (raft.auth.*) or plaintext; checked at startup by the validator. */
    @Bean
    @ConditionalOnMissingBean
    PeerSecurity raftPeerSecurity(
            RaftProperties properties,
            ClusterSettings settings,
            Environment environment,
            ObjectProvider<SslBundles> bundles,
            RequestRefusals refusals) {
        return PeerSecurity.resolve(
                ClusterSettingsValidator.peerSecurity(properties, environment),
                settings,
                bundles::getIfAvailable,
                refusals);
    }

    @Bean
    @ConditionalOnMissingBean
    ClusterGuard raftClusterGuard(
            ClusterSettings settings, PeerDirectory directory, RequestRefusals refusals, PeerSecurity security) {
        return new ClusterGuard(
                settings, directory, refusals, security.requiresCertificate(), security.requiresSignature());
    }

    @Bean
    @ConditionalOnMissingBean
    MessageRelay raftMessageRelay() {
        return new MessageRelay();
    }

    @Bean
    @ConditionalOnMissingBean(Transport.class)
    GrpcTransport raftTransport(
            ClusterSettings settings,
            PeerDirectory directory,
            MessageMapper mapper,
            PendingReplies pending,
            PeerContacts contacts,
            MessageRelay relay,
            PeerSecurity security) {
        return new GrpcTransport(settings, directory, mapper, pending, contacts, relay, security);
    }

    @Bean
    @ConditionalOnMissingBean
    RaftServer raftServer(
            MessageMapper mapper,
            ClusterGuard guard,
            PendingReplies pending,
            PeerContacts contacts,
            MessageRelay relay,
            LeaderCommandHandler forwardHandler,
            RaftLoop loop,
            JoinHandler joins) {
        return new RaftServer(
                mapper,
                guard,
                pending,
                contacts,
                relay,
                forwardHandler,
                () -> loop.status().term(),
                data -> {
                    try {
                        // A scratch store: decoding only, no listeners, the node's store untouched.
                        new ConfigStore(ConfigStore.DEFAULT_MAX_KEY_BYTES, Integer.MAX_VALUE).restore(data);
                        return null;
                    } catch (RuntimeException e) {
                        return String.valueOf(e.getMessage());
                    }
                },
                joins);
    }

    /** Answers nodes that ask to join; adds them only where raft.membership.auto-join is on. */
    @Bean
    @ConditionalOnMissingBean
    JoinHandler raftJoinHandler(RaftLoop loop, MembershipService membership, RaftProperties properties) {
        return new JoinHandler(loop, membership, properties.getMembership().isAutoJoin());
    }

    /** raft.membership.auto-join: a node that is no voter asks the members to add it. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(name = "raft.membership.auto-join", havingValue = "true")
    AutoJoin raftAutoJoin(ClusterSettings settings, RaftLoop loop, PeerDirectory directory, PeerSecurity security) {
        return new AutoJoin(
                settings.nodeId(),
                loop,
                directory,
                new GrpcJoinRequester(settings, directory, security),
                AUTO_JOIN_RETRY_INTERVAL);
    }

    /** Crash-fast detection (raft.crash-detection): tells the loop when the leader's process is gone. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(name = "raft.crash-detection", havingValue = "true", matchIfMissing = true)
    LeaderCrashDetector raftLeaderCrashDetector(ClusterSettings settings, PeerDirectory directory, RaftLoop loop) {
        return new LeaderCrashDetector(settings, directory, loop::peerUnreachable, settings.electionTimeout());
    }

    /**
     * The starter's own gRPC server (raft.server.mode), on raft.server.port or the port of this
     * node's entry in raft.peers; started and stopped by {@link RaftLifecycle}.
     */
    @Bean
    @ConditionalOnMissingBean
    @org.springframework.context.annotation.Conditional(OnOwnServerCondition.class)
    RaftGrpcServer raftGrpcServer(
            RaftServer server,
            ClusterSettings settings,
            RaftProperties properties,
            PeerSecurity security,
            RequestRefusals refusals,
            ObjectProvider<LeaderCrashDetector> crashDetector,
            Environment environment) {
        InetSocketAddress address = ClusterSettingsValidator.ownServerAddress(
                properties, settings, environment, RaftGrpcConfiguration.class.getClassLoader());
        return new RaftGrpcServer(
                address, server, security, refusals, crashDetector.getIfAvailable(), settings.maxMessageBytes());
    }

    /** raft.server.mode=shared with no server to share: the start fails and says so, rather than a node nobody reaches. */
    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass({
        ServerMode.NET_DEVH_SERVICE,
        ServerMode.SPRING_GRPC_SERVER
    })
    @org.springframework.context.annotation.Conditional(OnSharedServerCondition.class)
    Object raftNoServerToShare() {
        throw new io.raftboot.spring.cluster.RaftConfigurationException(
                "raft.server.mode",
                "shared",
                "there is no net.devh or Spring gRPC server on the class path for Raft to share",
                "Add net.devh:grpc-server-spring-boot-starter (Boot 3) or Spring gRPC's server starter (Boot 4) to the"
                        + " application, or set raft.server.mode=own (or auto)");
    }

    /**
     * Spring gRPC (Boot 4) serves every BindableService bean: keep the bare {@link RaftServer} off
     * the application's servers, and admit only the secured {@link RaftSpringGrpcService} when Raft
     * shares them. An application with a filter of its own must exclude {@code rafts.Raft} in it
     * (docs/spring.md).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.grpc.server.ServerServiceDefinitionFilter")
    static class SpringGrpcExclusion {

        @Bean
        @ConditionalOnMissingBean(type = "org.springframework.grpc.server.ServerServiceDefinitionFilter")
        RaftServiceOffApplicationServer raftServiceOffApplicationServer(ObjectProvider<RaftSpringGrpcService> shared) {
            return new RaftServiceOffApplicationServer(shared::getIfAvailable);
        }

        /**
         * Spring gRPC gives its filter bean to the in-process server only: this puts the Raft rule on
         * the Netty servers too, before their services are added.
         */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(name = "org.springframework.boot.grpc.server.autoconfigure.GrpcServerFactoryCustomizer")
        static class OnEveryServer {

            @Bean
            @ConditionalOnMissingBean
            RaftServiceFilterCustomizer raftServiceFilterCustomizer(
                    ObjectProvider<RaftSpringGrpcService> shared,
                    ObjectProvider<org.springframework.grpc.server.ServerServiceDefinitionFilter> application) {
                return new RaftServiceFilterCustomizer(
                        new RaftServiceOffApplicationServer(shared::getIfAvailable), application::getIfUnique);
            }
        }
    }

    /**
     * raft.server.mode=shared without net.devh: Raft on the application's Spring gRPC server (Boot
     * 4), on spring.grpc.server.port (defaulted to this node's raft.peers port, and checked against
     * it). Its TLS is Spring gRPC's (spring.grpc.server.ssl.*); the checks, peer identity and
     * crash detection come with the service definition.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = ServerMode.SPRING_GRPC_SERVER)
    @org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass(ServerMode.NET_DEVH_SERVICE)
    @org.springframework.context.annotation.Conditional(OnSharedServerCondition.class)
    static class SpringGrpcSharedServerConfiguration {

        @Bean
        @ConditionalOnMissingBean
        RaftSpringGrpcService raftSpringGrpcService(
                RaftServer server,
                PeerSecurity security,
                ObjectProvider<LeaderCrashDetector> crashDetector,
                RaftProperties properties,
                ClusterSettings settings,
                Environment environment,
                org.springframework.beans.factory.ListableBeanFactory beans) {
            SpringGrpcSharedServer.check(properties, settings, environment);
            // By type, without creating them: a factory collects this very service.
            SpringGrpcSharedServer.checkServerDefined(java.util.Arrays.stream(beans.getBeanNamesForType(
                            org.springframework.grpc.server.GrpcServerFactory.class, true, false))
                    .map(name -> beans.getType(name, false))
                    .map(type -> type == null ? "" : type.getName())
                    .toList());
            return new RaftSpringGrpcService(server, security, crashDetector.getIfAvailable());
        }

        /** Lets crash-fast detection see the server's connections close. */
        @Bean
        @ConditionalOnMissingBean(name = "raftCrashDetectionServerCustomizer")
        org.springframework.grpc.server.ServerBuilderCustomizer<?> raftCrashDetectionServerCustomizer(
                ObjectProvider<LeaderCrashDetector> crashDetector) {
            return SpringGrpcServerCustomizers.crashDetection(crashDetector::getIfAvailable);
        }

        /**
         * {@link RaftCallExecutor} on the application's server, as on net.devh's: replace this bean
         * (same name) if a global server interceptor of the application may block.
         */
        @Bean
        @ConditionalOnMissingBean(name = "raftCallExecutorServerCustomizer")
        org.springframework.grpc.server.ServerBuilderCustomizer<?> raftCallExecutorServerCustomizer() {
            return SpringGrpcServerCustomizers.callExecutor();
        }

        /** The server listens before the loop campaigns, and stops after the node. */
        @Bean
        static RaftLifecycleInsideGrpcServers raftLifecycleInsideGrpcServers() {
            return new RaftLifecycleInsideGrpcServers(RaftLifecycleInsideGrpcServers.SPRING_GRPC_SERVER_LIFECYCLE);
        }
    }

    /** The only bean that touches net.devh: registers {@link RaftServer} with its gRPC server. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = ServerMode.NET_DEVH_SERVICE)
    @org.springframework.context.annotation.Conditional(OnSharedServerCondition.class)
    static class NetDevhRegistration {

        @Bean
        @ConditionalOnMissingBean
        RaftGrpcRegistration raftGrpcRegistration(
                RaftServer server, PeerSecurity security, ObjectProvider<LeaderCrashDetector> crashDetector) {
            return new RaftGrpcRegistration(server, security, crashDetector.getIfAvailable());
        }

        /**
         * The server listens before the loop campaigns, and stops after the node (net.devh's
         * lifecycle runs at phase Integer.MAX_VALUE, above the node's).
         */
        @Bean
        static RaftLifecycleInsideGrpcServers raftLifecycleInsideNetDevhServer() {
            return new RaftLifecycleInsideGrpcServers(RaftLifecycleInsideGrpcServers.NET_DEVH_SERVER_LIFECYCLE);
        }

        /** Lets crash-fast detection see the server's connections close. */
        @Bean
        @ConditionalOnMissingBean(name = "raftCrashDetectionServerConfigurer")
        GrpcServerConfigurer raftCrashDetectionServerConfigurer(ObjectProvider<LeaderCrashDetector> crashDetector) {
            return new CrashDetectionServerConfigurer(crashDetector::getIfAvailable);
        }

        /**
         * Runs the small Raft calls that only hand a message to the Raft loop on the transport
         * thread ({@link RaftCallExecutor}): one thread hop less per heartbeat. Replace this bean (same
         * name) if a global server interceptor of the application may block.
         */
        @Bean
        @ConditionalOnMissingBean(name = "raftCallExecutorServerConfigurer")
        GrpcServerConfigurer raftCallExecutorServerConfigurer() {
            return new CallExecutorServerConfigurer();
        }

        /**
         * With raft.tls.bundle, and unless grpc.server.security.enabled configures the server's
         * TLS through net.devh, the server takes the bundle's certificates and requires clients'.
         */
        @Bean
        @ConditionalOnMissingBean
        @org.springframework.boot.autoconfigure.condition.ConditionalOnExpression(
                "'${raft.tls.bundle:}'.trim() != '' and !${grpc.server.security.enabled:false}")
        RaftServerTls raftServerTls(PeerSecurity security, RequestRefusals refusals) {
            return new RaftServerTls(security.tls(), refusals);
        }
    }
}
