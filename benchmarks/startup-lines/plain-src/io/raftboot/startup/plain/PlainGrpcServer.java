package io.raftboot.startup.plain;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The {@code -Pplain} build: a plain grpc-java server (shaded Netty, the transport the Raft starter
 * runs on) with one empty service, started and stopped with the context and nothing else. What the
 * transport alone costs at start-up, beside Boot's gRPC server starter and the Raft starter.
 */
@Component
public class PlainGrpcServer implements SmartLifecycle {

    private final int port;
    private Server server;

    public PlainGrpcServer(@Value("${plain.grpc.port}") int port) {
        this.port = port;
    }

    @Override
    public void start() {
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress(port))
                    .addService(ServerServiceDefinition.builder("startup.Plain").build())
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        server.shutdownNow();
        server = null;
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }
}
