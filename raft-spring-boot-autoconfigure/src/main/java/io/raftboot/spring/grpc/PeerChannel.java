package io.raftboot.spring.grpc;

import io.grpc.ClientInterceptor;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.raftboot.proto.RaftGrpc;
import io.raftboot.spring.cluster.ClusterSettings;
import io.raftboot.spring.cluster.PeerAddress;
import io.raftboot.spring.grpc.security.PeerSecurity;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One grpc-java channel to a peer (plaintext, or mutual TLS and request signing per
 * {@link PeerSecurity}), with the settings Raft needs: messages up to
 * {@code raft.max-message-size}, keepalive to notice dead connections, a bound on calls in flight
 * (a dead peer must not pile up calls; Raft resends what matters), and a reconnect backoff
 * capped at the election timeout: grpc-java's own backoff grows to two minutes, far longer than an
 * election, so a failed call resets it at most once per election timeout. AppendEntries go on
 * its {@link ReplicationStream} when they can.
 */
final class PeerChannel {

    /** Calls to one peer that may be outstanding; more are dropped. */
    static final int MAX_IN_FLIGHT = 256;
    /** Forwarded config writes and reads to one peer (the leader) that may be outstanding; more fail at once. */
    static final int MAX_FORWARDS_IN_FLIGHT = 1024;

    final String peerId;
    final ManagedChannel channel;
    final RaftGrpc.RaftStub stub;
    private final ReplicationStream replication;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger forwardsInFlight = new AtomicInteger();
    private final AtomicLong lastBackoffResetNanos = new AtomicLong(System.nanoTime());
    private final long reconnectCapNanos;

    private final PeerAddress address;

    PeerAddress address() {
        return address;
    }

    PeerChannel(String peerId, PeerAddress address, ClusterSettings settings) {
        this(peerId, address, settings, PeerSecurity.plaintext(settings));
    }

    PeerChannel(String peerId, PeerAddress address, ClusterSettings settings, PeerSecurity security) {
        this(peerId, address, settings, security, null);
    }

    /** @param replies receives the answers of the {@link ReplicationStream}, or {@code null} for calls only */
    PeerChannel(
            String peerId,
            PeerAddress address,
            ClusterSettings settings,
            PeerSecurity security,
            ReplicationStream.Listener replies) {
        this.peerId = peerId;
        this.address = address;
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(address.host(), address.port());
        if (security.tls() != null) {
            builder.sslContext(security.tls().clientContext(peerId, address));
        } else {
            builder.usePlaintext();
        }
        ClientInterceptor signer = security.clientInterceptor(peerId);
        if (signer != null) {
            builder.intercept(signer);
        }
        this.channel = builder.maxInboundMessageSize((int) settings.maxMessageBytes())
                .keepAliveTime(20, TimeUnit.SECONDS)
                .keepAliveTimeout(5, TimeUnit.SECONDS)
                .idleTimeout(1, TimeUnit.DAYS)
                .directExecutor() // callbacks only enqueue into the Raft loop
                .userAgent("raft-spring-boot/" + settings.nodeId())
                .build();
        this.stub = RaftGrpc.newStub(channel);
        this.reconnectCapNanos = settings.electionTimeout().toNanos();
        this.replication = replies == null
                ? null
                : new ReplicationStream(
                        peerId,
                        channel,
                        stub,
                        replies,
                        settings.rpcTimeout().toNanos(),
                        reconnectCapNanos,
                        2 * reconnectCapNanos);
    }

    /** The AppendEntries stream to this peer, or {@code null} when this channel makes calls only. */
    ReplicationStream replication() {
        return replication;
    }

    /** Reserves a slot for a call, or returns false when too many are outstanding. */
    boolean tryAcquire() {
        if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
            inFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    void release() {
        inFlight.decrementAndGet();
    }

    /** Reserves a slot for a Forward call (separate from Raft's, so writes cannot starve heartbeats). */
    boolean tryAcquireForward() {
        if (forwardsInFlight.incrementAndGet() > MAX_FORWARDS_IN_FLIGHT) {
            forwardsInFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    void releaseForward() {
        forwardsInFlight.decrementAndGet();
    }

    /** Opens the connection now rather than on the first call. */
    void connect() {
        channel.getState(true);
    }

    /**
     * Keeps an idle or failed connection coming back, so a follower sees its fellow followers as
     * reachable and a campaign does not start on a cold channel: reconnects now (resetting
     * grpc-java's backoff) at most once per election timeout.
     */
    void keepConnected() {
        if (replication != null) {
            replication.closeIfIdle(System.nanoTime());
        }
        ConnectivityState state = channel.getState(false);
        if (state == ConnectivityState.TRANSIENT_FAILURE || state == ConnectivityState.IDLE) {
            onFailure(Status.UNAVAILABLE);
            channel.getState(true);
        }
    }

    boolean isReady() {
        return channel.getState(false) == ConnectivityState.READY;
    }

    /** After a failed call: let the channel try to reconnect now, at most once per election timeout. */
    void onFailure(Status status) {
        if (status.getCode() != Status.Code.UNAVAILABLE) {
            return;
        }
        long now = System.nanoTime();
        long last = lastBackoffResetNanos.get();
        if (now - last >= reconnectCapNanos && lastBackoffResetNanos.compareAndSet(last, now)) {
            channel.resetConnectBackoff();
        }
    }

    void shutdown() {
        if (replication != null) {
            replication.close();
        }
        channel.shutdownNow();
    }
}
