package io.raftboot.spring.grpc;

import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.raftboot.spring.grpc.security.PeerTls;
import io.raftboot.spring.grpc.security.RequestRefusals;
import net.devh.boot.grpc.server.serverfactory.GrpcServerConfigurer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes net.devh's gRPC server speak mutual TLS with the SSL bundle of raft.tls.bundle (client
 * certificates required, untrusted ones counted and logged), when grpc.server.security.* does
 * not configure the server's TLS itself. Runs after net.devh's own settings. Only the shaded
 * Netty server is supported; an in-process server is left alone.
 */
public class RaftServerTls implements GrpcServerConfigurer {

    private static final Logger LOG = LoggerFactory.getLogger(RaftServerTls.class);

    private final PeerTls tls;
    private final RequestRefusals refusals;

    public RaftServerTls(PeerTls tls, RequestRefusals refusals) {
        this.tls = tls;
        this.refusals = refusals;
    }

    @Override
    public void accept(ServerBuilder<?> builder) {
        if (builder instanceof NettyServerBuilder netty) {
            netty.sslContext(tls.serverContext(refusals));
            LOG.debug("gRPC server uses mutual TLS from SSL bundle '{}'", tls.bundleName());
        } else if (builder.getClass().getName().contains("InProcess")) {
            LOG.debug("In-process gRPC server: no TLS");
        } else {
            throw new IllegalStateException(
                    "raft.tls.bundle needs net.devh's shaded Netty gRPC server (grpc-netty-shaded), but the server is built by "
                            + builder.getClass().getName()
                            + "; configure its TLS with grpc.server.security.* (client-auth=REQUIRE) instead");
        }
    }
}
