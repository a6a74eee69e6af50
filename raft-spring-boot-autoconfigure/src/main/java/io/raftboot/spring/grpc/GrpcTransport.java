package io.raftboot.spring.grpc;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.raftboot.core.client.CommandForwarder;
import io.raftboot.core.client.ForwardOutcome;
import io.raftboot.core.loop.Transport;
import io.raftboot.core.message.AppendEntries;
import io.raftboot.core.message.AppendResponse;
import io.raftboot.core.message.InstallSnapshot;
import io.raftboot.core.message.Message;
import io.raftboot.core.message.SnapshotResponse;
import io.raftboot.core.message.TimeoutNow;
import io.raftboot.core.message.VoteRequest;
import io.raftboot.core.message.VoteResponse;
import io.raftboot.proto.ForwardKind;
import io.raftboot.proto.ForwardRequest;
import io.raftboot.proto.ForwardReturn;
import io.raftboot.proto.HBeat;
import io.raftboot.proto.HBeatReturn;
import io.raftboot.proto.InstallSnapshotReturn;
import io.raftboot.proto.RaftGrpc;
import io.raftboot.proto.ReqVoteReturn;
import io.raftboot.proto.TimeoutNowReturn;
import io.raftboot.spring.cluster.ClusterSettings;
import io.raftboot.spring.cluster.PeerAddress;
import io.raftboot.spring.cluster.PeerDirectory;
import io.raftboot.spring.grpc.security.PeerSecurity;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core's {@link Transport} over gRPC. AppendEntries go out on one long-lived stream per
 * follower ({@link ReplicationStream}) when they can, else, like RequestVote, TimeoutNow and
 * InstallSnapshot, as asynchronous unary calls with a deadline; each reply is mapped back into the
 * core's response message and delivered to the loop. Responses the loop
 * emits complete the peer's parked call on our server ({@link PendingReplies}). Never blocks the
 * loop thread and never throws at it: a failed call is a lost message, which Raft tolerates.
 */
public class GrpcTransport implements Transport, CommandForwarder, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GrpcTransport.class);
    /** InstallSnapshot carries the whole state machine; give it this many RPC timeouts. */
    static final int SNAPSHOT_DEADLINE_FACTOR = 10;

    private final ClusterSettings settings;
    private final MessageMapper mapper;
    private final PendingReplies pending;
    private final PeerContacts contacts;
    private final MessageRelay inbound;
    private final PeerSecurity security;
    private final PeerDirectory directory;
    private final Map<String, PeerChannel> channels = new ConcurrentHashMap<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private final RoundTripWarnings roundTripWarnings;
    private final ReplicationStream.Listener streamReplies = new StreamReplies();
    private volatile boolean closed;

    public GrpcTransport(
            ClusterSettings settings,
            MessageMapper mapper,
            PendingReplies pending,
            PeerContacts contacts,
            MessageRelay inbound) {
        this(settings, mapper, pending, contacts, inbound, PeerSecurity.plaintext(settings));
    }

    public GrpcTransport(
            ClusterSettings settings,
            MessageMapper mapper,
            PendingReplies pending,
            PeerContacts contacts,
            MessageRelay inbound,
            PeerSecurity security) {
        this(settings, new PeerDirectory(settings), mapper, pending, contacts, inbound, security);
    }

    /** @param directory who the members are and where they listen (raft.peers, then the log's configuration) */
    public GrpcTransport(
            ClusterSettings settings,
            PeerDirectory directory,
            MessageMapper mapper,
            PendingReplies pending,
            PeerContacts contacts,
            MessageRelay inbound,
            PeerSecurity security) {
        this.directory = directory;
        this.security = security;
        this.settings = settings;
        this.mapper = mapper;
        this.pending = pending;
        this.contacts = contacts;
        this.inbound = inbound;
        this.roundTripWarnings = new RoundTripWarnings(RoundTripEnvelope.of(settings), System::nanoTime);
        contacts.addRoundTripListener((peer, rtt) -> checkRoundTrip(peer));
    }

    /**
     * Logs when the smoothed round trip to {@code peer} nears the envelope of the settings
     * ({@link RoundTripEnvelope}): WARN on the way up and at most once a minute while it stays,
     * INFO when it has come back down.
     */
    private void checkRoundTrip(String peer) {
        double smoothed = contacts.smoothedRoundTripNanos(peer);
        RoundTripEnvelope envelope = roundTripWarnings.envelope();
        switch (roundTripWarnings.observe(peer, smoothed)) {
            case WARN -> {
                LOG.warn(
                        "The round trip to peer {} is about {} ms (smoothed; {} more such measurements since the"
                                + " last warning), above {} ms: {}. Bring the nodes closer or raise"
                                + " raft.election-timeout; see the envelope in docs/operations.md",
                        peer,
                        Math.round(smoothed / 1e6),
                        roundTripWarnings.suppressed(peer),
                        envelope.warnAboveNanos() / 1_000_000,
                        envelope.describe());
                roundTripWarnings.logged(peer);
            }
            case CLEARED ->
                LOG.info(
                        "The round trip to peer {} is back to about {} ms (smoothed), below {} ms",
                        peer,
                        Math.round(smoothed / 1e6),
                        envelope.clearBelowNanos() / 1_000_000);
            case NONE -> {}
        }
    }

    /** Opens the connections to all peers now, so the first election does not wait for them. */
    public void connect() {
        for (String peer : directory.members().keySet()) {
            if (!peer.equals(settings.nodeId())) {
                PeerChannel channel = channel(peer);
                if (channel != null) {
                    channel.connect();
                }
            }
        }
    }

    /**
     * Reconnects idle or failed channels, at most once per election timeout each; call periodically
     * (the lifecycle does, every election timeout).
     */
    public void keepConnected() {
        if (!closed) {
            // A member removed from the configuration is no longer reached.
            channels.entrySet().removeIf(e -> {
                boolean gone = !directory.isMember(e.getKey());
                if (gone) {
                    e.getValue().shutdown();
                }
                return gone;
            });
            channels.values().forEach(PeerChannel::keepConnected);
        }
    }

    @Override
    public void send(Message message) {
        try {
            if (message instanceof AppendResponse
                    || message instanceof VoteResponse
                    || message instanceof SnapshotResponse) {
                if (!pending.answer(message)) {
                    LOG.trace("No waiting call from {} for {}; dropped", message.to(), message);
                }
            } else if (message instanceof AppendEntries ae) {
                sendAppend(ae);
            } else if (message instanceof VoteRequest vr) {
                this.<ReqVoteReturn>call(
                        vr.to(),
                        settings.rpcTimeout(),
                        (stub, o) -> stub.requestVote(mapper.toProto(vr), o),
                        mapper::fromProto);
            } else if (message instanceof TimeoutNow tn) {
                this.<TimeoutNowReturn>call(
                        tn.to(),
                        settings.rpcTimeout(),
                        (stub, o) -> stub.timeoutNow(mapper.toProto(tn), o),
                        reply -> null);
            } else if (message instanceof InstallSnapshot is) {
                this.<InstallSnapshotReturn>call(
                        is.to(),
                        settings.rpcTimeout().multipliedBy(SNAPSHOT_DEADLINE_FACTOR),
                        (stub, o) -> stub.installSnapshot(mapper.toProto(is), o),
                        mapper::fromProto);
            }
        } catch (RuntimeException e) {
            LOG.debug("Could not send {}: {}", message, e.toString());
        }
    }

    /**
     * An AppendEntries goes on the peer's {@link ReplicationStream} when it can (small enough,
     * stream open and ready), else as a Heartbeat call, as before the stream existed.
     */
    private void sendAppend(AppendEntries ae) {
        PeerChannel channel = channel(ae.to());
        if (channel == null) {
            return;
        }
        HBeat request = mapper.toProto(ae);
        long start = System.nanoTime();
        ReplicationStream stream = channel.replication();
        if (stream != null
                && request.getSerializedSize() <= ReplicationStream.MAX_FRAME_BYTES
                && stream.trySend(request, start)) {
            return;
        }
        sendAppendCall(ae.to(), request, start);
    }

    /** An AppendEntries as a Heartbeat call. */
    private void sendAppendCall(String to, HBeat request, long start) {
        boolean empty = request.getEntriesCount() == 0; // served on the peer's transport thread (RaftCallExecutor)
        this.<HBeatReturn>call(
                to,
                settings.rpcTimeout(),
                (stub, o) -> (empty ? stub.withInterceptors(RaftCallExecutor.MARK_EMPTY_APPEND) : stub)
                        .heartbeat(request, o),
                reply -> {
                    contacts.heartbeatRoundTrip(to, System.nanoTime() - start);
                    return mapper.fromProto(reply);
                });
    }

    /** Answers and failures of the peers' {@link ReplicationStream}s. */
    private final class StreamReplies implements ReplicationStream.Listener {

        @Override
        public void reply(String peer, HBeatReturn reply, long roundTripNanos) {
            deliverReply(peer, reply, r -> {
                contacts.heartbeatRoundTrip(peer, roundTripNanos);
                return mapper.fromProto(r);
            });
        }

        @Override
        public void broken(String peer, Status status) {
            contacts.callFailed(peer);
            PeerChannel channel = channels.get(peer);
            if (channel != null) {
                channel.onFailure(status);
            }
            callFailed(peer, status);
        }

        @Override
        public void unread(String peer, HBeat frame) {
            sendAppendCall(peer, frame, System.nanoTime());
        }
    }

    @Override
    public CompletableFuture<ForwardOutcome> forwardWrite(String leaderId, byte[] command, Duration timeout) {
        return forward(leaderId, ForwardKind.WRITE, ByteString.copyFrom(command), timeout);
    }

    @Override
    public CompletableFuture<ForwardOutcome> forwardReadIndex(String leaderId, Duration timeout) {
        return forward(leaderId, ForwardKind.READ_INDEX, ByteString.EMPTY, timeout);
    }

    /**
     * Sends a Forward RPC to {@code leaderId} and reads its answer, or the call's failure, as the
     * {@link ForwardOutcome} it means ({@link ForwardOutcomes}). Completes normally in every case.
     */
    private CompletableFuture<ForwardOutcome> forward(
            String leaderId, ForwardKind kind, ByteString command, Duration timeout) {
        boolean write = kind == ForwardKind.WRITE;
        PeerChannel channel = channel(leaderId);
        if (channel == null) {
            return CompletableFuture.completedFuture(new ForwardOutcome.NotLeader(
                    null, "no channel to '" + leaderId + "': it is not a known peer; nothing was sent"));
        }
        if (!channel.tryAcquireForward()) {
            return CompletableFuture.completedFuture(new ForwardOutcome.Overloaded(PeerChannel.MAX_FORWARDS_IN_FLIGHT
                    + " forwarded requests to leader '" + leaderId
                    + "' are already waiting: the leader is overloaded or slow;"
                    + " nothing was sent"));
        }
        long millis = Math.max(1, timeout.toMillis());
        ForwardRequest request = ForwardRequest.newBuilder()
                .setClusterId(settings.clusterId())
                .setFrom(settings.nodeId())
                .setKind(kind)
                .setCommand(command)
                .setTimeoutMillis(millis)
                .build();
        CompletableFuture<ForwardOutcome> result = new CompletableFuture<>();
        result.whenComplete((r, e) -> channel.releaseForward());
        try {
            send(channel, leaderId, request, millis, write, result);
        } catch (RuntimeException e) {
            result.complete(new ForwardOutcome.NotLeader(
                    null, "could not send to '" + leaderId + "': " + e + "; nothing was sent"));
        }
        return result;
    }

    private void send(
            PeerChannel channel,
            String leaderId,
            ForwardRequest request,
            long millis,
            boolean write,
            CompletableFuture<ForwardOutcome> result) {
        channel.stub.withDeadlineAfter(millis, TimeUnit.MILLISECONDS).forward(request, new StreamObserver<>() {
            @Override
            public void onNext(ForwardReturn value) {
                contacts.heardFrom(leaderId);
                try {
                    result.complete(ForwardOutcomes.fromProto(value, write));
                } catch (IllegalArgumentException e) {
                    result.complete(
                            write
                                    ? new ForwardOutcome.OutcomeUnknown(
                                            "malformed answer from '" + leaderId + "': " + e.getMessage())
                                    : new ForwardOutcome.Stopped(e.getMessage()));
                }
            }

            @Override
            public void onError(Throwable t) {
                channel.onFailure(Status.fromThrowable(t));
                result.complete(ForwardOutcomes.ofCallFailure(t, leaderId, write));
            }

            @Override
            public void onCompleted() {}
        });
    }

    /** Whether the connection to {@code peer} is up or the peer was heard from recently. */
    public boolean isReachable(String peer) {
        PeerChannel channel = channels.get(peer);
        return contacts.isReachable(peer) || (channel != null && channel.isReady());
    }

    @Override
    public void close() {
        closed = true;
        channels.values().forEach(PeerChannel::shutdown);
        channels.clear();
    }

    private <R> void call(
            String peer,
            Duration deadline,
            BiConsumer<RaftGrpc.RaftStub, StreamObserver<R>> invoke,
            Function<R, Message> toMessage) {
        PeerChannel channel = channel(peer);
        if (channel == null || !channel.tryAcquire()) {
            return;
        }
        RaftGrpc.RaftStub stub = channel.stub.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
        invoke.accept(stub, new StreamObserver<>() {
            @Override
            public void onNext(R reply) {
                deliverReply(peer, reply, toMessage);
            }

            @Override
            public void onError(Throwable t) {
                channel.release();
                Status status = Status.fromThrowable(t);
                contacts.callFailed(peer);
                channel.onFailure(status);
                callFailed(peer, status);
            }

            @Override
            public void onCompleted() {
                channel.release();
            }
        });
    }

    /**
     * A reply from {@code peer}, by call or stream, to the loop: dropped if malformed or if it
     * claims another sender or receiver.
     */
    private <R> void deliverReply(String peer, R reply, Function<R, Message> toMessage) {
        contacts.heardFrom(peer);
        Message response;
        try {
            response = toMessage.apply(reply);
        } catch (IllegalArgumentException malformed) {
            // e.g. a role name no node of ours would send: dropped, as if lost
            warnOnce("malformed:" + peer, "Dropping a malformed reply from {}: {}", peer, malformed.getMessage());
            return;
        }
        if (response == null) {
            return;
        }
        if (!peer.equals(response.from()) || !settings.nodeId().equals(response.to())) {
            warnOnce(
                    "reply:" + peer,
                    "Dropping a reply from {} that claims to be from '{}' to '{}'",
                    peer,
                    response.from(),
                    response.to());
            return;
        }
        inbound.accept(response);
    }

    private void callFailed(String peer, Status status) {
        if (status.getCode() == Status.Code.PERMISSION_DENIED
                || status.getCode() == Status.Code.UNAUTHENTICATED
                || status.getCode() == Status.Code.INVALID_ARGUMENT) {
            warnOnce("denied:" + peer, "Peer {} refused our request: {}", peer, status.getDescription());
        } else {
            LOG.trace("Call to {} failed: {} {}", peer, status.getCode(), status.getDescription());
        }
    }

    private PeerChannel channel(String peer) {
        PeerAddress address = directory.addressOf(peer);
        if (closed || peer.equals(settings.nodeId()) || address == null) {
            return null;
        }
        PeerChannel known = channels.get(peer);
        if (known != null && known.address().equals(address)) {
            return known; // the usual case, without a lock
        }
        PeerChannel channel = channels.compute(peer, (id, existing) -> {
            if (existing != null && existing.address().equals(address)) {
                return existing;
            }
            if (existing != null) {
                LOG.info("Peer {} moved from {} to {}: reconnecting", id, existing.address(), address);
                existing.shutdown();
            }
            return new PeerChannel(id, address, settings, security, streamReplies);
        });
        return channel;
    }

    /**
     * Whether AppendEntries to {@code peer} go on an open {@link ReplicationStream} now (rather
     * than as Heartbeat calls); for diagnostics and tests.
     */
    public boolean isStreaming(String peer) {
        PeerChannel channel = channels.get(peer);
        return channel != null
                && channel.replication() != null
                && channel.replication().isOpen();
    }

    /** The channel to {@code peer}, if one was opened (tests). */
    PeerChannel channelForTest(String peer) {
        return channels.get(peer);
    }

    private void warnOnce(String key, String format, Object... args) {
        if (warned.add(key)) {
            LOG.warn(format + " (logged once)", args);
        }
    }
}
