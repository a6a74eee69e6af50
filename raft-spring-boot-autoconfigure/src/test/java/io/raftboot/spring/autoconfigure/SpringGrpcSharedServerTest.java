package io.raftboot.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.raftboot.proto.RaftGrpc;
import io.raftboot.proto.ReqVote;
import io.raftboot.spring.env.RaftEnvironmentPostProcessor;
import io.raftboot.spring.grpc.RaftGrpcServer;
import io.raftboot.spring.grpc.RaftServer;
import io.raftboot.spring.grpc.RaftServiceFilters;
import io.raftboot.spring.grpc.RaftServiceOffApplicationServer;
import io.raftboot.spring.grpc.RaftSpringGrpcService;
import io.raftboot.spring.leadership.LeadershipService;
import io.raftboot.testsupport.process.FreePorts;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.grpc.server.GlobalServerInterceptor;
import org.springframework.grpc.server.ServerBuilderCustomizer;
import org.springframework.grpc.server.ServerServiceDefinitionFilter;
import org.springframework.grpc.server.ShadedNettyGrpcServerFactory;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import org.springframework.grpc.server.service.DefaultGrpcServiceConfigurer;
import org.springframework.grpc.server.service.DefaultGrpcServiceDiscoverer;
import org.springframework.grpc.server.service.GrpcServiceConfigurer;
import org.springframework.grpc.server.service.GrpcServiceDiscoverer;
import org.springframework.mock.env.MockEnvironment;

/**
 * Raft on the application's Spring gRPC server (raft.server.mode=shared, Boot 4). Spring gRPC's
 * Boot auto-configuration needs Boot 4, so {@link SpringGrpcServer} wires its core (service
 * discovery, global interceptors, a shaded Netty server factory and its lifecycle) as that
 * auto-configuration does, on a real port on loopback.
 */
class SpringGrpcSharedServerTest {

    @TempDir
    static Path data;

    private static final AutoConfigurations ALL = AutoConfigurations.of(
            RaftAutoConfiguration.class,
            RaftDisabledAutoConfiguration.class,
            RaftActuatorAutoConfiguration.class,
            RaftMetricsAutoConfiguration.class,
            RaftIntegrationAutoConfiguration.class);

    /** A one-node cluster whose node's entry in raft.peers is {@code port}; no net.devh on the class path. */
    static ApplicationContextRunner runner(int port) {
        return new ApplicationContextRunner()
                .withClassLoader(new FilteredClassLoader("net.devh"))
                .withConfiguration(ALL)
                .withPropertyValues(
                        "raft.node-id=n1",
                        "raft.peers.n1=127.0.0.1:" + port,
                        "raft.data-dir=" + data.resolve("n" + System.nanoTime()));
    }

    static ApplicationContextRunner shared(int port) {
        return runner(port)
                .withPropertyValues("raft.server.mode=shared", "spring.grpc.server.port=" + port)
                .withUserConfiguration(SpringGrpcServer.class);
    }

    @Test
    void sharedModeServesTheSecuredRaftServiceOnSpringGrpcsServerInsteadOfAnOwnServer() {
        shared(FreePorts.any()).run(ctx -> {
            assertThat(ctx)
                    .hasNotFailed()
                    .hasSingleBean(RaftSpringGrpcService.class)
                    .doesNotHaveBean(RaftGrpcServer.class)
                    .hasBean("raftCrashDetectionServerCustomizer")
                    .hasBean("raftCallExecutorServerCustomizer");
            LeadershipService leadership = ctx.getBean(LeadershipService.class);
            await().atMost(Duration.ofSeconds(5)).until(leadership::isLeader);
        });
    }

    @Test
    void autoStaysOnTheOwnServerBesideSpringGrpc() {
        int port = FreePorts.any();
        runner(port)
                .withPropertyValues("spring.grpc.server.port=" + FreePorts.any())
                .withUserConfiguration(SpringGrpcServer.class)
                .run(ctx -> assertThat(ctx)
                        .hasNotFailed()
                        .hasSingleBean(RaftGrpcServer.class)
                        .doesNotHaveBean(RaftSpringGrpcService.class)
                        .doesNotHaveBean("raftCallExecutorServerCustomizer"));
    }

    @Test
    void theFilterAdmitsOnlyTheSecuredDefinitionEvenWrappedInGlobalInterceptors() {
        shared(FreePorts.any()).run(ctx -> {
            ServerServiceDefinitionFilter filter = ctx.getBean(RaftServiceOffApplicationServer.class);
            ServerServiceDefinition secured =
                    ctx.getBean(RaftSpringGrpcService.class).bindService();
            ServerInterceptor passThrough = SpringGrpcServer.passThrough(new AtomicInteger());
            assertThat(filter.filter(RaftGrpc.bindService(ctx.getBean(RaftServer.class)), null))
                    .as("the bare RaftServer")
                    .isFalse();
            assertThat(filter.filter(secured, null)).as("the secured service").isTrue();
            assertThat(filter.filter(ServerInterceptors.intercept(secured, passThrough), null))
                    .as("the secured service behind a global interceptor")
                    .isTrue();
            assertThat(filter.filter(new Echo().bindService(), null))
                    .as("the application's own service")
                    .isTrue();
        });
    }

    @Test
    void aRaftRequestWithoutTheSignatureIsRefusedOnTheSharedServerWhileTheAppsServiceAnswersOnTheSamePort() {
        int port = FreePorts.any();
        shared(port)
                .withPropertyValues("raft.auth.secret=0123456789abcdef0123456789abcdef")
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port)
                            .usePlaintext()
                            .build();
                    try {
                        assertThat(ClientCalls.blockingUnaryCall(
                                        channel,
                                        Echo.SAY,
                                        io.grpc.CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS),
                                        "hello"))
                                .isEqualTo("echo hello");
                        ReqVote unsigned = ReqVote.newBuilder()
                                .setClusterId("default")
                                .setFrom("n2")
                                .setCandidateId("n2")
                                .setTo("n1")
                                .setTerm(99)
                                .build();
                        assertThatThrownBy(() -> RaftGrpc.newBlockingStub(channel)
                                        .withDeadlineAfter(5, TimeUnit.SECONDS)
                                        .requestVote(unsigned))
                                .isInstanceOfSatisfying(
                                        StatusRuntimeException.class,
                                        e -> assertThat(e.getStatus().getCode())
                                                .isEqualTo(Status.Code.UNAUTHENTICATED));
                        assertThat(ctx.getBean("globalCalls", AtomicInteger.class)
                                        .get())
                                .as("the application's global interceptor saw both calls")
                                .isEqualTo(2);
                    } finally {
                        channel.shutdownNow();
                    }
                });
    }

    @Test
    void theServerListensBeforeTheNodeStartsAndStopsAfterIt() {
        shared(FreePorts.any()).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            SpringGrpcServer.RecordingLifecycle server = ctx.getBean(SpringGrpcServer.RecordingLifecycle.class);
            ctx.close();
            assertThat(server.seen)
                    .containsExactly("server starts, node running false", "server stops, node running false");
        });
    }

    @Test
    void aSpringGrpcPortOtherThanThePeersEntryFailsTheStartNamingBoth() {
        int port = FreePorts.any();
        int other = FreePorts.any();
        runner(port)
                .withPropertyValues("raft.server.mode=shared", "spring.grpc.server.port=" + other)
                .run(ctx -> assertThat(ctx)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("spring.grpc.server.port = " + other)
                        .hasMessageContaining("raft.peers.n1 says port " + port));
    }

    @Test
    void sharedModeWithoutASpringGrpcServerFailsTheStartRatherThanRunAnUnreachableNode() {
        int port = FreePorts.any();
        runner(port)
                .withPropertyValues("raft.server.mode=shared", "spring.grpc.server.port=" + port)
                .run(ctx -> assertThat(ctx)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("defines none that peers can reach"));
    }

    @Test
    void onlyAnInProcessServerIsNoServerToShare() {
        assertThatThrownBy(() ->
                        SpringGrpcSharedServer.checkServerDefined(List.of(SpringGrpcSharedServer.IN_PROCESS_FACTORY)))
                .hasMessageContaining("in-process only");
        SpringGrpcSharedServer.checkServerDefined(
                List.of(SpringGrpcSharedServer.IN_PROCESS_FACTORY, ShadedNettyGrpcServerFactory.class.getName()));
    }

    @Test
    void aTlsServerWithPlaintextPeersFailsTheStart() {
        int port = FreePorts.any();
        runner(port)
                .withPropertyValues(
                        "raft.server.mode=shared",
                        "spring.grpc.server.port=" + port,
                        "spring.grpc.server.ssl.bundle=app")
                .run(ctx ->
                        assertThat(ctx).hasFailed().getFailure().rootCause().hasMessageContaining("raft.tls.bundle"));
    }

    @Test
    void sharedModeDefaultsSpringGrpcsPortToThePeersEntryAndAutoLeavesItAlone() {
        MockEnvironment shared = new MockEnvironment()
                .withProperty("raft.node-id", "b")
                .withProperty("raft.peers.a", "h:5000")
                .withProperty("raft.peers.b", "h:5001")
                .withProperty("raft.server.mode", "shared");
        MockEnvironment auto =
                new MockEnvironment().withProperty("raft.node-id", "b").withProperty("raft.peers.b", "h:5001");
        SpringApplication withoutNetDevh = new SpringApplication();
        withoutNetDevh.setResourceLoader(new DefaultResourceLoader(new FilteredClassLoader("net.devh")));
        RaftEnvironmentPostProcessor processor = new RaftEnvironmentPostProcessor(Supplier::get);
        processor.postProcessEnvironment(shared, withoutNetDevh);
        processor.postProcessEnvironment(auto, withoutNetDevh);
        assertThat(shared.getProperty("spring.grpc.server.port")).isEqualTo("5001");
        assertThat(shared.getProperty("spring.grpc.server.inbound.message.max-size"))
                .isEqualTo("16MB");
        assertThat(auto.getProperty("spring.grpc.server.port")).isNull();
    }

    /** One method, strings on the wire: the application's own gRPC service. */
    static final class Echo implements BindableService {

        static final MethodDescriptor.Marshaller<String> TEXT = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(String value) {
                return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public String parse(InputStream stream) {
                try {
                    return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        static final MethodDescriptor<String, String> SAY = MethodDescriptor.<String, String>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName("test.Echo/Say")
                .setRequestMarshaller(TEXT)
                .setResponseMarshaller(TEXT)
                .build();

        @Override
        public ServerServiceDefinition bindService() {
            return ServerServiceDefinition.builder("test.Echo")
                    .addMethod(SAY, ServerCalls.asyncUnaryCall((request, reply) -> {
                        reply.onNext("echo " + request);
                        reply.onCompleted();
                    }))
                    .build();
        }
    }

    /** Spring gRPC's server as its Boot auto-configuration builds it, with one service of the application's. */
    @Configuration(proxyBeanMethods = false)
    static class SpringGrpcServer {

        static ServerInterceptor passThrough(AtomicInteger calls) {
            return new ServerInterceptor() {
                @Override
                public <Q, R> ServerCall.Listener<Q> interceptCall(
                        ServerCall<Q, R> call, io.grpc.Metadata headers, ServerCallHandler<Q, R> next) {
                    calls.incrementAndGet();
                    return next.startCall(call, headers);
                }
            };
        }

        @Bean
        Echo echo() {
            return new Echo();
        }

        @Bean
        AtomicInteger globalCalls() {
            return new AtomicInteger();
        }

        @Bean
        @GlobalServerInterceptor
        ServerInterceptor countingGlobalInterceptor(AtomicInteger globalCalls) {
            return passThrough(globalCalls);
        }

        @Bean
        GrpcServiceDiscoverer grpcServiceDiscoverer(ApplicationContext context) {
            return new DefaultGrpcServiceDiscoverer(context);
        }

        @Bean
        GrpcServiceConfigurer grpcServiceConfigurer(ApplicationContext context) {
            return new DefaultGrpcServiceConfigurer(context);
        }

        @Bean
        @SuppressWarnings({"unchecked", "rawtypes"})
        ShadedNettyGrpcServerFactory grpcServerFactory(
                Environment environment,
                GrpcServiceDiscoverer discoverer,
                GrpcServiceConfigurer configurer,
                ObjectProvider<ServerBuilderCustomizer<?>> customizers,
                RaftServiceOffApplicationServer raftFilter) {
            ServerBuilderCustomizer<NettyServerBuilder> all = builder ->
                    customizers.orderedStream().forEach(c -> ((ServerBuilderCustomizer) c).customize(builder));
            ShadedNettyGrpcServerFactory factory = new ShadedNettyGrpcServerFactory(
                    "127.0.0.1:" + environment.getProperty("spring.grpc.server.port"), List.of(all), null, null, null);
            // What RaftServiceFilterCustomizer does as a GrpcServerFactoryCustomizer (a Boot 4 type).
            RaftServiceFilters.install(factory, raftFilter, null);
            discoverer.findServices().stream()
                    .map(spec -> configurer.configure(spec, factory))
                    .forEach(factory::addService);
            return factory;
        }

        @Bean
        RecordingLifecycle grpcServerLifecycle(
                ShadedNettyGrpcServerFactory factory,
                ApplicationEventPublisher events,
                ObjectProvider<RaftLifecycle> node) {
            return new RecordingLifecycle(factory, events, node);
        }

        /** Spring gRPC's server lifecycle, noting whether the node runs when the server starts and stops. */
        static final class RecordingLifecycle extends GrpcServerLifecycle {

            final List<String> seen = new CopyOnWriteArrayList<>();
            private final ObjectProvider<RaftLifecycle> node;

            RecordingLifecycle(
                    ShadedNettyGrpcServerFactory factory,
                    ApplicationEventPublisher events,
                    ObjectProvider<RaftLifecycle> node) {
                super(factory, Duration.ofSeconds(1), events);
                this.node = node;
            }

            @Override
            public void start() {
                seen.add("server starts, node running " + node.getObject().isRunning());
                super.start();
            }

            @Override
            public void stop() {
                seen.add("server stops, node running " + node.getObject().isRunning());
                super.stop();
            }
        }
    }
}
