package io.raftboot.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;

import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.micrometer.core.instrument.MeterRegistry;
import io.raftboot.core.loop.RaftLoop;
import io.raftboot.core.loop.Transport;
import io.raftboot.core.node.Membership;
import io.raftboot.core.node.ProtocolSettings;
import io.raftboot.core.storage.FileStorage;
import io.raftboot.core.storage.MemoryStorage;
import io.raftboot.core.storage.Storage;
import io.raftboot.core.store.ConfigStore;
import io.raftboot.proto.RaftGrpc;
import io.raftboot.spring.actuator.RaftEndpoint;
import io.raftboot.spring.actuator.RaftHealthIndicator;
import io.raftboot.spring.actuator.RaftInfoContributor;
import io.raftboot.spring.actuator.RaftStatusReporter;
import io.raftboot.spring.annotation.LeaderOnly;
import io.raftboot.spring.annotation.LeaderOnlyBeanPostProcessor;
import io.raftboot.spring.annotation.LeaderOnlySkips;
import io.raftboot.spring.cluster.ClusterSettings;
import io.raftboot.spring.config.ConfigChangePublisher;
import io.raftboot.spring.config.ConfigWriteException;
import io.raftboot.spring.config.LeaderCommandHandler;
import io.raftboot.spring.config.ReplicatedConfig;
import io.raftboot.spring.grpc.ClusterGuard;
import io.raftboot.spring.grpc.GrpcTransport;
import io.raftboot.spring.grpc.MessageMapper;
import io.raftboot.spring.grpc.MessageRelay;
import io.raftboot.spring.grpc.PeerContacts;
import io.raftboot.spring.grpc.PendingReplies;
import io.raftboot.spring.grpc.RaftGrpcRegistration;
import io.raftboot.spring.grpc.RaftGrpcServer;
import io.raftboot.spring.grpc.RaftServer;
import io.raftboot.spring.grpc.RaftServiceOffApplicationServer;
import io.raftboot.spring.integration.IntegrationLeaderEventPublisher;
import io.raftboot.spring.integration.RaftLeaderContext;
import io.raftboot.spring.leadership.LeadershipService;
import io.raftboot.spring.leadership.LeadershipTracker;
import io.raftboot.spring.membership.MembershipService;
import io.raftboot.spring.metrics.RaftMetrics;
import io.raftboot.spring.support.RaftExecutors;
import io.raftboot.testsupport.process.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.grpc.server.ServerServiceDefinitionFilter;

/** Every condition and every {@code @ConditionalOnMissingBean} of the auto-configuration. */
class RaftAutoConfigurationTest {

    @TempDir
    static Path data;

    private static final AutoConfigurations ALL = AutoConfigurations.of(
            RaftAutoConfiguration.class,
            RaftDisabledAutoConfiguration.class,
            RaftActuatorAutoConfiguration.class,
            RaftMetricsAutoConfiguration.class,
            RaftIntegrationAutoConfiguration.class);

    /** A one-node cluster: it elects itself, no network needed. */
    static ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(ALL)
                .withPropertyValues(
                        "raft.node-id=n1",
                        "raft.peers.n1=127.0.0.1:" + FreePorts.any(),
                        "raft.data-dir=" + data.resolve("n" + System.nanoTime()),
                        "management.endpoints.web.exposure.include=raft");
    }

    @Test
    void createsTheNodeItsTransportServicesAndIntegrations() {
        runner().run(ctx -> {
            assertThat(ctx).hasNotFailed();
            for (Class<?> type : new Class<?>[] {
                ClusterSettings.class,
                RaftExecutors.class,
                ConfigStore.class,
                RaftLoop.class,
                GrpcTransport.class,
                RaftServer.class,
                RaftGrpcRegistration.class,
                LeaderCommandHandler.class,
                LeadershipService.class,
                LeadershipTracker.class,
                ReplicatedConfig.class,
                RaftLifecycle.class,
                RaftStatusReporter.class,
                RaftEndpoint.class,
                RaftHealthIndicator.class,
                RaftInfoContributor.class,
                RaftMetrics.class,
                RaftLeaderContext.class,
                IntegrationLeaderEventPublisher.class,
                LeaderOnlyBeanPostProcessor.class,
                LeaderOnlySkips.class
            }) {
                assertThat(ctx).hasSingleBean(type);
            }
            assertThat(ctx.getBean(Storage.class)).isInstanceOf(FileStorage.class);
            LeadershipService leadership = ctx.getBean(LeadershipService.class);
            await().atMost(Duration.ofSeconds(5)).until(leadership::isLeader);
            assertThat(leadership.leaderId()).contains("n1");
        });
    }

    @Test
    void raftEnabledFalseCreatesNoNodeButSafeStandIns() {
        runner().withPropertyValues("raft.enabled=false")
                .withUserConfiguration(LeaderOnlyJob.class)
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx)
                            .doesNotHaveBean(RaftLoop.class)
                            .doesNotHaveBean(RaftServer.class)
                            .doesNotHaveBean(RaftEndpoint.class)
                            .doesNotHaveBean(RaftMetrics.class)
                            .doesNotHaveBean(RaftLeaderContext.class)
                            .doesNotHaveBean(ClusterSettings.class);
                    LeadershipService leadership = ctx.getBean(LeadershipService.class);
                    assertThat(leadership.isLeader()).isFalse();
                    assertThat(leadership.nodeId()).isEqualTo("n1");
                    assertThat(leadership.awaitLeader(Duration.ofSeconds(10))).isEmpty();
                    assertThat(leadership.stepDown()).failsWithin(Duration.ZERO);
                    ReplicatedConfig config = ctx.getBean(ReplicatedConfig.class);
                    assertThat(config.get("k")).isEmpty();
                    assertThat(config.put("k", "v"))
                            .failsWithin(Duration.ZERO)
                            .withThrowableOfType(ExecutionException.class)
                            .havingCause()
                            .isInstanceOfSatisfying(
                                    ConfigWriteException.class,
                                    e -> assertThat(e.isOutcomeUnknown()).isFalse())
                            .withMessageContaining("raft.enabled=false");
                    LeaderOnlyJob job = ctx.getBean(LeaderOnlyJob.class);
                    job.run();
                    assertThat(job.runs())
                            .as("a @LeaderOnly method of a node without Raft")
                            .isZero();
                });
    }

    @Test
    void aSingleNodeElectsItselfWithoutAnyPeers() {
        new ApplicationContextRunner()
                .withConfiguration(ALL)
                .withPropertyValues(
                        "raft.single-node=true", "raft.data-dir=" + data.resolve("single" + System.nanoTime()))
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    LeadershipService leadership = ctx.getBean(LeadershipService.class);
                    await().atMost(Duration.ofSeconds(5)).until(leadership::isLeader);
                    assertThat(leadership.leaderId()).contains("local");
                    assertThat(ctx.getBean(ReplicatedConfig.class).put("k", "v"))
                            .succeedsWithin(Duration.ofSeconds(5));
                });
    }

    @Test
    void raftEnabledFalseBacksOffFromTheApplicationsOwnBeans() {
        LeadershipService own = mock(LeadershipService.class);
        ReplicatedConfig ownConfig = mock(ReplicatedConfig.class);
        runner().withPropertyValues("raft.enabled=false")
                .withBean(LeadershipService.class, () -> own)
                .withBean(ReplicatedConfig.class, () -> ownConfig)
                .run(ctx -> {
                    assertThat(ctx.getBean(LeadershipService.class)).isSameAs(own);
                    assertThat(ctx.getBean(ReplicatedConfig.class)).isSameAs(ownConfig);
                });
    }

    /** A user's leader-only job; counts the calls that got through. */
    static class LeaderOnlyJob {
        private int runs;

        @LeaderOnly
        public void run() {
            runs++;
        }

        /** Through the proxy to the target: a field read on the proxy would always see 0. */
        public int runs() {
            return runs;
        }
    }

    @Test
    void withoutActuatorThereIsNoEndpointNorHealthIndicator() {
        runner().withClassLoader(new FilteredClassLoader(Endpoint.class)).run(ctx -> {
            assertThat(ctx).hasNotFailed().hasSingleBean(RaftLoop.class);
            assertThat(ctx).doesNotHaveBean(RaftEndpoint.class).doesNotHaveBean(RaftHealthIndicator.class);
        });
    }

    @Test
    void withoutMicrometerThereAreNoMeters() {
        runner().withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .run(ctx -> assertThat(ctx)
                        .hasNotFailed()
                        .hasSingleBean(RaftLoop.class)
                        .doesNotHaveBean(RaftMetrics.class));
    }

    @Test
    void withoutSpringIntegrationThereAreNoIntegrationEvents() {
        runner().withClassLoader(new FilteredClassLoader("org.springframework.integration"))
                .run(ctx -> assertThat(ctx)
                        .hasNotFailed()
                        .hasSingleBean(LeadershipService.class)
                        .doesNotHaveBean(RaftLeaderContext.class)
                        .doesNotHaveBean(IntegrationLeaderEventPublisher.class));
    }

    @Test
    void withoutNetDevhRaftRunsOnTheStartersOwnServer() {
        runner().withClassLoader(new FilteredClassLoader("net.devh")).run(ctx -> {
            assertThat(ctx)
                    .hasNotFailed()
                    .hasSingleBean(RaftServer.class)
                    .hasSingleBean(RaftGrpcServer.class)
                    .doesNotHaveBean(RaftGrpcRegistration.class);
            LeadershipService leadership = ctx.getBean(LeadershipService.class);
            await().atMost(Duration.ofSeconds(5)).until(leadership::isLeader);
        });
    }

    @Test
    void withNetDevhRaftSharesItsServerUnlessTheOwnServerIsChosen() {
        runner().run(ctx -> assertThat(ctx)
                .hasNotFailed()
                .hasSingleBean(RaftGrpcRegistration.class)
                .doesNotHaveBean(RaftGrpcServer.class));
        // net.devh's idle server takes a free port: the Raft port is the own server's.
        runner().withPropertyValues("raft.server.mode=own", "grpc.server.port=0")
                .run(ctx -> assertThat(ctx)
                        .hasNotFailed()
                        .hasSingleBean(RaftGrpcServer.class)
                        .doesNotHaveBean(RaftGrpcRegistration.class));
    }

    @Test
    void sharingAServerThatIsNotThereFailsTheStartAndSaysWhy() {
        runner().withClassLoader(new FilteredClassLoader("net.devh"))
                .withPropertyValues("raft.server.mode=shared")
                .run(ctx ->
                        assertThat(ctx).hasFailed().getFailure().rootCause().hasMessageContaining("raft.server.mode"));
    }

    @Test
    void theHealthIndicatorCanBeDisabled() {
        runner().withPropertyValues("management.health.raft.enabled=false")
                .run(ctx -> assertThat(ctx)
                        .hasNotFailed()
                        .hasSingleBean(RaftEndpoint.class)
                        .doesNotHaveBean(RaftHealthIndicator.class));
    }

    @Test
    void theInfoContributorNamesTheClusterAndItsLeader() {
        runner().withPropertyValues("raft.cluster-id=billing").run(ctx -> {
            LeadershipService leadership = ctx.getBean(LeadershipService.class);
            await().atMost(Duration.ofSeconds(5)).until(leadership::isLeader);
            Info.Builder info = new Info.Builder();
            ctx.getBean(RaftInfoContributor.class).contribute(info);
            assertThat(info.build().getDetails().get("raft"))
                    .asInstanceOf(InstanceOfAssertFactories.MAP)
                    .containsEntry("nodeId", "n1")
                    .containsEntry("clusterId", "billing")
                    .containsEntry("role", "LEADER")
                    .containsEntry("leaderId", "n1")
                    .containsEntry("voters", List.of("n1"));
        });
    }

    @Test
    void theInfoContributorCanBeDisabled() {
        runner().withPropertyValues("management.info.raft.enabled=false")
                .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(RaftInfoContributor.class));
    }

    /**
     * Spring gRPC serves every BindableService bean, on its servlet server too, where no filter
     * applies: the bare Raft service (no peer security) must not be one. Only the starter's own
     * secured registrations for a shared server may serve rafts.Raft.
     */
    @Test
    void noBeanOffersTheBareRaftServiceToAnApplicationsGrpcServer() {
        runner().run(ctx -> {
            assertThat(ctx.getBean(RaftServer.class)).isNotInstanceOf(BindableService.class);
            assertThat(raftServices(ctx)).singleElement().isInstanceOf(RaftGrpcRegistration.class);
        });
        runner().withClassLoader(new FilteredClassLoader("net.devh")).run(ctx -> {
            assertThat(ctx).hasSingleBean(RaftServer.class);
            assertThat(raftServices(ctx))
                    .as("own server: no rafts.Raft service bean")
                    .isEmpty();
        });
    }

    private static List<BindableService> raftServices(ApplicationContext ctx) {
        return ctx.getBeansOfType(BindableService.class).values().stream()
                .filter(service ->
                        service.bindService().getServiceDescriptor().getName().equals(RaftGrpc.SERVICE_NAME))
                .toList();
    }

    @Test
    void theRaftServiceIsKeptOffASpringGrpcServerAndOnlyIt() {
        runner().run(ctx -> {
            ServerServiceDefinitionFilter filter = ctx.getBean(ServerServiceDefinitionFilter.class);
            assertThat(filter).isInstanceOf(RaftServiceOffApplicationServer.class);
            assertThat(filter.filter(RaftGrpc.bindService(ctx.getBean(RaftServer.class)), null))
                    .as("the bare Raft service on the application's Spring gRPC server")
                    .isFalse();
            ServerServiceDefinition other =
                    ServerServiceDefinition.builder("app.Orders").build();
            assertThat(filter.filter(other, null)).isTrue();
        });
        runner().withClassLoader(new FilteredClassLoader(ServerServiceDefinitionFilter.class))
                .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(RaftServiceOffApplicationServer.class));
        ServerServiceDefinitionFilter own = (service, factory) -> true;
        runner().withBean(ServerServiceDefinitionFilter.class, () -> own)
                .run(ctx -> assertThat(ctx.getBean(ServerServiceDefinitionFilter.class))
                        .isSameAs(own));
    }

    @Test
    void theEndpointIsAbsentWhenNotExposed() {
        runner().withPropertyValues("management.endpoints.web.exposure.include=health")
                .run(ctx -> assertThat(ctx)
                        .hasNotFailed()
                        .doesNotHaveBean(RaftEndpoint.class)
                        .hasSingleBean(RaftHealthIndicator.class));
    }

    @Test
    void aUserTransportReplacesTheGrpcTransport() {
        Transport transport = message -> {};
        runner().withBean(Transport.class, () -> transport).run(ctx -> {
            assertThat(ctx).hasNotFailed().doesNotHaveBean(GrpcTransport.class);
            assertThat(ctx.getBean(Transport.class)).isSameAs(transport);
        });
    }

    @Test
    void aUserHealthIndicatorNamedRaftHealthIndicatorReplacesOurs() {
        HealthIndicator mine = () -> Health.up().build();
        runner().withBean("raftHealthIndicator", HealthIndicator.class, () -> mine)
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed().doesNotHaveBean(RaftHealthIndicator.class);
                    assertThat(ctx.getBean("raftHealthIndicator")).isSameAs(mine);
                });
    }

    static Stream<Arguments> replaceableBeans() {
        return Stream.of(
                override(Storage.class, MemoryStorage::new),
                override(ConfigStore.class, ConfigStore::new),
                override(ClusterSettings.class, () -> ClusterSettingsValidator.validate(properties("custom"))),
                override(RaftExecutors.class, () -> new RaftExecutors("custom")),
                override(RaftLoop.class, RaftAutoConfigurationTest::standaloneLoop),
                override(PeerContacts.class, () -> new PeerContacts(Duration.ofSeconds(1))),
                override(MessageRelay.class, MessageRelay::new),
                override(MessageMapper.class, () -> mock(MessageMapper.class)),
                override(PendingReplies.class, () -> mock(PendingReplies.class)),
                override(ClusterGuard.class, () -> mock(ClusterGuard.class)),
                override(LeaderCommandHandler.class, () -> mock(LeaderCommandHandler.class)),
                override(RaftServer.class, () -> mock(RaftServer.class)),
                override(RaftGrpcRegistration.class, () -> mock(RaftGrpcRegistration.class)),
                override(LeadershipTracker.class, () -> mock(LeadershipTracker.class)),
                override(LeadershipService.class, () -> mock(LeadershipService.class)),
                override(ConfigChangePublisher.class, () -> mock(ConfigChangePublisher.class)),
                override(ReplicatedConfig.class, () -> mock(ReplicatedConfig.class)),
                override(MembershipService.class, () -> mock(MembershipService.class)),
                override(RaftStatusReporter.class, () -> mock(RaftStatusReporter.class)),
                override(RaftLifecycle.class, () -> mock(RaftLifecycle.class)),
                override(LeaderOnlySkips.class, LeaderOnlySkips::new),
                override(RaftEndpoint.class, () -> mock(RaftEndpoint.class)),
                override(RaftMetrics.class, () -> mock(RaftMetrics.class)),
                override(RaftLeaderContext.class, () -> new RaftLeaderContext(mock(LeadershipService.class), "mine")),
                override(IntegrationLeaderEventPublisher.class, () -> mock(IntegrationLeaderEventPublisher.class)));
    }

    @ParameterizedTest(name = "a user {0} replaces ours")
    @MethodSource("replaceableBeans")
    <T> void aUserBeanReplacesTheAutoConfiguredOne(Class<T> type, Supplier<T> factory) {
        T mine = factory.get();
        runner().withBean(type, () -> mine).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx.getBean(type)).isSameAs(mine);
        });
    }

    private static <T> Arguments override(Class<T> type, Supplier<? extends T> factory) {
        return Arguments.of(type, factory);
    }

    private static RaftProperties properties(String id) {
        RaftProperties p = new RaftProperties();
        p.setNodeId(id);
        p.getPeers().put(id, "127.0.0.1:" + FreePorts.any());
        p.setDataDir(data.resolve(id + System.nanoTime()));
        return p;
    }

    private static RaftLoop standaloneLoop() {
        ProtocolSettings config = ProtocolSettings.of(Membership.ofVoters("n1")).withTicks(10, 2);
        return new RaftLoop(
                "n1",
                config,
                Duration.ofMillis(10),
                new MemoryStorage(),
                new ConfigStore(),
                m -> {},
                new SplittableRandom(1),
                0);
    }
}
