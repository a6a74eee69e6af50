package io.raftboot.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftboot.testsupport.process.FreePorts;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.devh.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration;
import net.devh.boot.grpc.server.autoconfigure.GrpcServerFactoryAutoConfiguration;
import net.devh.boot.grpc.server.event.GrpcServerShutdownEvent;
import net.devh.boot.grpc.server.event.GrpcServerStartedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * Raft on net.devh's server (raft.server.mode shared, the default when net.devh is present): the
 * server's lifecycle runs at phase Integer.MAX_VALUE, above the node's, so by phase alone the loop
 * would campaign before the server listens and the server would stop before the node. Checked
 * with net.devh's own auto-configuration and server on loopback.
 */
class NetDevhSharedServerOrderTest {

    @TempDir
    static Path data;

    @Test
    void theServerListensBeforeTheNodeStartsAndStopsAfterIt() {
        int port = FreePorts.any();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        RaftAutoConfiguration.class,
                        GrpcServerAutoConfiguration.class,
                        GrpcServerFactoryAutoConfiguration.class))
                .withUserConfiguration(ServerEvents.class)
                .withPropertyValues(
                        "raft.node-id=n1",
                        "raft.peers.n1=127.0.0.1:" + port,
                        "raft.data-dir=" + data.resolve("n1"),
                        "grpc.server.port=" + port,
                        "grpc.server.address=127.0.0.1")
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed().hasSingleBean(RaftLifecycle.class);
                    ServerEvents events = ctx.getBean(ServerEvents.class);
                    ctx.close();
                    assertThat(events.seen)
                            .containsExactly("server started, node running false", "server stops, node running false");
                });
    }

    /** Notes whether the node runs when net.devh's server has started and when it begins to stop. */
    @Configuration(proxyBeanMethods = false)
    static class ServerEvents {

        final List<String> seen = new CopyOnWriteArrayList<>();
        private final ObjectProvider<RaftLifecycle> node;

        ServerEvents(ObjectProvider<RaftLifecycle> node) {
            this.node = node;
        }

        @EventListener
        void started(GrpcServerStartedEvent event) {
            seen.add("server started, node running " + node.getObject().isRunning());
        }

        @EventListener
        void stops(GrpcServerShutdownEvent event) {
            seen.add("server stops, node running " + node.getObject().isRunning());
        }
    }
}
