package io.raftboot.spring.grpc;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.raftboot.spring.grpc.security.PeerSecurity;
import io.raftboot.spring.grpc.security.RequestRefusals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC server the starter owns (raft.server.mode own): a plain grpc-java Netty server that
 * serves only Raft, on the port of this node's own entry in the members. Started and stopped by
 * the node's lifecycle, so it accepts peers before the loop campaigns and still answers while a
 * stopping leader hands over; an application's own gRPC server, if any, is another server.
 */
public final class RaftGrpcServer {

    private static final Logger LOG = LoggerFactory.getLogger(RaftGrpcServer.class);
    /** How long a stop waits for calls in flight before it cuts them. */
    private static final long GRACE_MILLIS = 1_000;

    private final InetSocketAddress address;
    private final Server server;

    /**
     * @param address where to listen (a wildcard address for every interface)
     * @param crashDetector sees connections close and admitted heartbeats, or {@code null}
     */
    public RaftGrpcServer(
            InetSocketAddress address,
            RaftServer service,
            PeerSecurity security,
            RequestRefusals refusals,
            LeaderCrashDetector crashDetector,
            long maxMessageBytes) {
        this.address = address;
        NettyServerBuilder builder = NettyServerBuilder.forAddress(address)
                .addService(RaftServiceDefinition.of(service, security, crashDetector))
                .callExecutor(new RaftCallExecutor())
                .maxInboundMessageSize((int) Math.min(Integer.MAX_VALUE, maxMessageBytes))
                // The peer channels ping every 20 s while a call is open (PeerChannel).
                .permitKeepAliveTime(10, TimeUnit.SECONDS);
        if (crashDetector != null) {
            builder.addTransportFilter(crashDetector.transportFilter());
        }
        if (security.tls() != null) {
            builder.sslContext(security.tls().serverContext(refusals));
        }
        this.server = builder.build();
    }

    /** @throws UncheckedIOException if the port cannot be bound, naming it */
    public void start() {
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "The Raft gRPC server cannot listen on " + address + " (" + e.getMessage()
                            + "): another process or gRPC server holds the port? Set raft.server.port, or the"
                            + " port of this node's entry in raft.peers",
                    e);
        }
        LOG.info("Raft gRPC server listening on {}", server.getListenSockets());
    }

    /** The port it listens on (the bound one when configured with 0). */
    public int port() {
        return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    }

    /** Stops accepting, lets calls in flight finish for a moment, then cuts the rest. */
    public void stop() {
        server.shutdown();
        try {
            if (!server.awaitTermination(GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
