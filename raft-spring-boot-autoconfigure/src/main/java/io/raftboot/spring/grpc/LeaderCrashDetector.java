package io.raftboot.spring.grpc;

import io.grpc.Attributes;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerTransportFilter;
import io.raftboot.proto.HBeat;
import io.raftboot.proto.RaftGrpc;
import io.raftboot.spring.cluster.ClusterSettings;
import io.raftboot.spring.cluster.PeerAddress;
import io.raftboot.spring.cluster.PeerDirectory;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash-fast detection, the transport half (the protocol half is
 * {@code RaftNode.peerUnreachable}). When a leader's process dies, the kernel closes its
 * connections at once: the connection on which it sent us heartbeats terminates. That alone
 * proves nothing (a live peer may close an idle connection), so this class then tries to open
 * a TCP connection to the peer's gRPC port: only "connection refused" (nothing listens there
 * any more) is reported to the Raft loop. A frozen process (SIGSTOP, a long GC pause) keeps its
 * sockets, and its kernel still accepts connections, so it is never reported; a timeout or any
 * other error is not evidence either. A false report costs at most one failed pre-vote, and
 * never a second lease (see docs/protocol.md).
 *
 * <p>It is a {@link ServerInterceptor} (it learns which connection carries which peer's
 * heartbeats, by Heartbeat call or Replicate stream) and provides a {@link ServerTransportFilter} for the gRPC server.
 */
public final class LeaderCrashDetector implements ServerInterceptor, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderCrashDetector.class);
    /**
     * The dying kernel may send a connection's FIN just before it closes the listening socket:
     * probe a few times before concluding the peer is alive.
     */
    private static final long[] PROBE_DELAYS_MILLIS = {0, 15, 30, 60};

    private static final long MAX_CONNECT_TIMEOUT_MILLIS = 1000;
    private static final java.util.Set<String> APPEND_METHODS = java.util.Set.of(
            RaftGrpc.getHeartbeatMethod().getFullMethodName(),
            RaftGrpc.getReplicateMethod().getFullMethodName());

    private final ClusterSettings settings;
    private final PeerDirectory directory;
    private final Consumer<String> onGone;
    private final int connectTimeoutMillis;
    /** Remote address of each connection that carried a member's heartbeat -> that member. */
    private final Map<SocketAddress, String> heartbeatSenders = new ConcurrentHashMap<>();
    /** One thread, created on first use; probes are rare (one per lost connection). */
    private final ExecutorService probes;

    /**
     * @param onGone receives the id of a member whose process is gone (the Raft loop's
     *     {@code peerUnreachable})
     * @param connectTimeout bound on one probe's connect attempt
     */
    public LeaderCrashDetector(ClusterSettings settings, Consumer<String> onGone, Duration connectTimeout) {
        this(settings, new PeerDirectory(settings), onGone, connectTimeout);
    }

    public LeaderCrashDetector(
            ClusterSettings settings, PeerDirectory directory, Consumer<String> onGone, Duration connectTimeout) {
        this.settings = settings;
        this.directory = directory;
        this.onGone = onGone;
        // Bounded and never 0 (0 would wait for the kernel's own, minutes-long timeout).
        this.connectTimeoutMillis = (int) Math.max(1, Math.min(connectTimeout.toMillis(), MAX_CONNECT_TIMEOUT_MILLIS));
        ThreadPoolExecutor executor = new ThreadPoolExecutor(
                0,
                1,
                30,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(64),
                r -> {
                    Thread t = new Thread(r, "raft-crash-probe");
                    t.setDaemon(true);
                    return t;
                },
                new ThreadPoolExecutor.DiscardPolicy());
        this.probes = executor;
    }

    /** Register with the gRPC server ({@code ServerBuilder.addTransportFilter}). */
    public ServerTransportFilter transportFilter() {
        return new ServerTransportFilter() {
            @Override
            public void transportTerminated(Attributes transportAttrs) {
                SocketAddress remote =
                        transportAttrs == null ? null : transportAttrs.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
                String peer = remote == null ? null : heartbeatSenders.remove(remote);
                if (peer != null) {
                    // INFO: once per closed connection of a heartbeat sender, and the only trace
                    // when a crash goes unreported (see probe)
                    LOG.info("Connection from {} ({}) closed; probing whether its process is gone", peer, remote);
                    probes.execute(() -> probe(peer));
                }
            }
        };
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        ServerCall.Listener<Q> listener = next.startCall(call, headers);
        SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        if (remote == null
                || !APPEND_METHODS.contains(call.getMethodDescriptor().getFullMethodName())) {
            return listener;
        }
        return new SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onMessage(Q message) {
                if (message instanceof HBeat hb
                        && directory.isKnown(hb.getFrom())
                        && !settings.nodeId().equals(hb.getFrom())) {
                    heartbeatSenders.put(remote, hb.getFrom());
                }
                super.onMessage(message);
            }
        };
    }

    /** Reports {@code peer} if a connection to its gRPC port is refused at every address it resolves to. */
    void probe(String peer) {
        PeerAddress address = directory.addressOf(peer);
        if (address == null) {
            return;
        }
        try {
            Probe result = Probe.INCONCLUSIVE;
            for (long delay : PROBE_DELAYS_MILLIS) {
                if (delay > 0) {
                    TimeUnit.MILLISECONDS.sleep(delay);
                }
                // An attempt that neither connects nor is refused (a reset while the dying kernel
                // tears the listener down) is not the last word either: look again.
                result = connect(address);
                if (result == Probe.REFUSED) {
                    LOG.info(
                            "{} ({}:{}) refuses connections: its process is gone; telling the Raft loop",
                            peer,
                            address.host(),
                            address.port());
                    onGone.accept(peer);
                    return;
                }
            }
            LOG.info(
                    "{} ({}:{}) {} after its connection closed: not reported",
                    peer,
                    address.host(),
                    address.port(),
                    result == Probe.ACCEPTED ? "still accepts connections" : "could not be probed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private enum Probe {
        ACCEPTED,
        REFUSED,
        INCONCLUSIVE
    }

    /**
     * Connects to every address the host resolves to (as gRPC would try them all): refused only
     * if each one refuses. A timeout, an unresolvable host or any other error proves nothing.
     */
    private Probe connect(PeerAddress address) {
        InetAddress[] candidates;
        try {
            candidates = InetAddress.getAllByName(address.host());
        } catch (UnknownHostException e) {
            return Probe.INCONCLUSIVE;
        }
        for (InetAddress candidate : candidates) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(candidate, address.port()), connectTimeoutMillis);
                return Probe.ACCEPTED;
            } catch (ConnectException e) {
                // The JDK also reports a kernel-level connect timeout this way: only a refusal counts.
                if (e.getMessage() == null
                        || !e.getMessage().toLowerCase(Locale.ROOT).contains("refused")) {
                    return Probe.INCONCLUSIVE;
                }
            } catch (IOException e) {
                LOG.debug("Probe of {} inconclusive: {}", candidate, e.toString());
                return Probe.INCONCLUSIVE;
            }
        }
        return Probe.REFUSED;
    }

    @Override
    public void close() {
        probes.shutdownNow();
        heartbeatSenders.clear();
    }
}
