package io.raftboot.spring.grpc;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.raftboot.core.client.ForwardOutcome;
import io.raftboot.core.message.Message;
import io.raftboot.proto.ForwardKind;
import io.raftboot.proto.ForwardRequest;
import io.raftboot.proto.ForwardReturn;
import io.raftboot.proto.HBeat;
import io.raftboot.proto.HBeatReturn;
import io.raftboot.proto.InstallSnapshotRequest;
import io.raftboot.proto.InstallSnapshotReturn;
import io.raftboot.proto.JoinRequest;
import io.raftboot.proto.JoinReturn;
import io.raftboot.proto.RaftGrpc;
import io.raftboot.proto.ReqVote;
import io.raftboot.proto.ReqVoteReturn;
import io.raftboot.proto.TimeoutNowRequest;
import io.raftboot.proto.TimeoutNowReturn;
import io.raftboot.spring.cluster.PeerAddress;
import io.raftboot.spring.config.LeaderCommandHandler;
import io.raftboot.spring.membership.JoinHandler;
import io.raftboot.spring.membership.JoinOutcome;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's gRPC service (the seed's {@code RaftServer}). It is deliberately not a
 * {@link io.grpc.BindableService}: Spring gRPC serves every bean of that type on the
 * application's servers (its servlet one included, which takes no filter), and this one alone
 * is the bare service, without the peer security and crash detection around it. Servers get it
 * only through {@link RaftServiceDefinition#of}. It admits only members of the cluster ({@link ClusterGuard}),
 * refuses structurally invalid requests ({@link InboundChecks}), hands each request to the Raft
 * loop and answers with the loop's response ({@link PendingReplies}). AppendEntries come as
 * Heartbeat calls or as frames of a leader's {@code Replicate} stream ({@link InboundReplicationStream}). TimeoutNow is acknowledged at once (its reply carries nothing the
 * core needs). Forward is served by the {@link LeaderCommandHandler}.
 */
public class RaftServer implements RaftGrpc.AsyncService {

    private static final Logger LOG = LoggerFactory.getLogger(RaftServer.class);

    private final MessageMapper mapper;
    private final ClusterGuard guard;
    private final PendingReplies pending;
    private final PeerContacts contacts;
    private final Consumer<Message> inbound;
    private final LeaderCommandHandler forwardHandler;
    private final LongSupplier currentTerm;
    private final java.util.function.Function<byte[], String> snapshotCheck;
    private final JoinHandler joins;

    /**
     * @param inbound delivers a message to the Raft loop (must not block)
     * @param currentTerm this node's term, for the TimeoutNow acknowledgement
     */
    public RaftServer(
            MessageMapper mapper,
            ClusterGuard guard,
            PendingReplies pending,
            PeerContacts contacts,
            Consumer<Message> inbound,
            LeaderCommandHandler forwardHandler,
            LongSupplier currentTerm) {
        this(mapper, guard, pending, contacts, inbound, forwardHandler, currentTerm, data -> null);
    }

    /**
     * @param snapshotCheck what is wrong with the state-machine data of an InstallSnapshot, or
     *     {@code null} if the state machine can restore it; checked before the core installs it,
     *     because a snapshot the state machine cannot read would stop this node
     */
    public RaftServer(
            MessageMapper mapper,
            ClusterGuard guard,
            PendingReplies pending,
            PeerContacts contacts,
            Consumer<Message> inbound,
            LeaderCommandHandler forwardHandler,
            LongSupplier currentTerm,
            java.util.function.Function<byte[], String> snapshotCheck) {
        this(mapper, guard, pending, contacts, inbound, forwardHandler, currentTerm, snapshotCheck, null);
    }

    /** @param joins answers nodes that ask to join (raft.membership.auto-join), or {@code null} to refuse them */
    public RaftServer(
            MessageMapper mapper,
            ClusterGuard guard,
            PendingReplies pending,
            PeerContacts contacts,
            Consumer<Message> inbound,
            LeaderCommandHandler forwardHandler,
            LongSupplier currentTerm,
            java.util.function.Function<byte[], String> snapshotCheck,
            JoinHandler joins) {
        this.joins = joins;
        this.snapshotCheck = snapshotCheck;
        this.mapper = mapper;
        this.guard = guard;
        this.pending = pending;
        this.contacts = contacts;
        this.inbound = inbound;
        this.forwardHandler = forwardHandler;
        this.currentTerm = currentTerm;
    }

    @Override
    public void heartbeat(HBeat request, StreamObserver<HBeatReturn> observer) {
        Status refusal = heartbeatRefusal(request);
        if (refusal != null) {
            observer.onError(refusal.asRuntimeException());
            return;
        }
        deliver(request.getFrom(), PendingReplies.Kind.APPEND, () -> mapper.fromProto(request), observer);
    }

    /**
     * The same AppendEntries as {@link #heartbeat}, as frames of one long-lived stream from the
     * leader ({@link InboundReplicationStream}); each frame passes the same checks.
     */
    @Override
    public StreamObserver<HBeat> replicate(StreamObserver<HBeatReturn> responses) {
        return new InboundReplicationStream(
                (ServerCallStreamObserver<HBeatReturn>) responses,
                this::heartbeatRefusal,
                mapper::fromProto,
                pending,
                inbound);
    }

    /**
     * The checks of an AppendEntries, by call or stream frame: {@code null} if admitted (the
     * sender counts as heard from), or the status to refuse it with.
     */
    Status heartbeatRefusal(HBeat request) {
        Status refusal = guard.check(request.getClusterId(), request.getFrom(), request.getTo(), request.getSettings());
        if (refusal == null) {
            String problem = InboundChecks.check(request);
            if (problem != null) {
                refusal = guard.invalid(request.getFrom(), problem);
            }
        }
        if (refusal == null) {
            contacts.heardFrom(request.getFrom());
        }
        return refusal;
    }

    @Override
    public void requestVote(ReqVote request, StreamObserver<ReqVoteReturn> observer) {
        if (admitted(
                request.getClusterId(),
                request.getFrom(),
                request.getTo(),
                request.getSettings(),
                InboundChecks.check(request),
                observer)) {
            deliver(request.getFrom(), PendingReplies.Kind.VOTE, () -> mapper.fromProto(request), observer);
        }
    }

    @Override
    public void installSnapshot(InstallSnapshotRequest request, StreamObserver<InstallSnapshotReturn> observer) {
        String problem = InboundChecks.check(request);
        if (problem == null) {
            String unreadable = snapshotCheck.apply(request.getData().toByteArray());
            problem = unreadable == null ? null : "the snapshot's state-machine data cannot be restored: " + unreadable;
        }
        if (admitted(
                request.getClusterId(), request.getFrom(), request.getTo(), request.getSettings(), problem, observer)) {
            deliver(request.getFrom(), PendingReplies.Kind.SNAPSHOT, () -> mapper.fromProto(request), observer);
        }
    }

    @Override
    public void timeoutNow(TimeoutNowRequest request, StreamObserver<TimeoutNowReturn> observer) {
        if (!admitted(
                request.getClusterId(),
                request.getFrom(),
                request.getTo(),
                request.getSettings(),
                InboundChecks.check(request),
                observer)) {
            return;
        }
        try {
            inbound.accept(mapper.fromProto(request));
        } catch (RuntimeException e) {
            refuseStopped(observer, e);
            return;
        }
        observer.onNext(mapper.timeoutNowAck(request, currentTerm.getAsLong()));
        observer.onCompleted();
    }

    @Override
    public void forward(ForwardRequest request, StreamObserver<ForwardReturn> observer) {
        // A forwarded command does not depend on the timing settings: not checked (null).
        if (!admitted(request.getClusterId(), request.getFrom(), "", null, InboundChecks.check(request), observer)) {
            return;
        }
        CompletableFuture<ForwardOutcome> handled;
        try {
            Duration timeout = Duration.ofMillis(Math.max(0, request.getTimeoutMillis()));
            handled = request.getKind() == ForwardKind.READ_INDEX
                    ? forwardHandler.readIndex(timeout)
                    : forwardHandler.write(request.getCommand().toByteArray(), timeout);
        } catch (RuntimeException e) {
            observer.onError(Status.INTERNAL
                    .withDescription("forwarded command failed: " + e)
                    .asRuntimeException());
            return;
        }
        handled.whenComplete((outcome, error) -> {
            try {
                if (error != null) {
                    observer.onError(Status.INTERNAL
                            .withDescription("forwarded command failed: " + error)
                            .asRuntimeException());
                } else {
                    observer.onNext(ForwardOutcomes.toProto(outcome)
                            .setTerm(currentTerm.getAsLong())
                            .build());
                    observer.onCompleted();
                }
            } catch (RuntimeException e) {
                LOG.debug("Forward answer to {} not delivered: {}", request.getFrom(), e.toString());
            }
        });
    }

    @Override
    public void join(JoinRequest request, StreamObserver<JoinReturn> observer) {
        String problem = InboundChecks.check(request);
        Status refusal = problem != null
                ? guard.invalid(request.getFrom(), problem)
                : guard.checkJoin(
                        request.getClusterId(),
                        request.getFrom(),
                        PeerAddress.parse(request.getAddress()),
                        request.getSettings());
        if (refusal != null) {
            observer.onError(refusal.asRuntimeException());
            return;
        }
        CompletableFuture<JoinOutcome> handled = joins != null
                ? joins.join(request.getFrom(), request.getAddress())
                : CompletableFuture.completedFuture(new JoinOutcome.Refused("this node adds no joiners"));
        handled.whenComplete((outcome, error) -> {
            try {
                if (error != null) {
                    observer.onError(Status.INTERNAL
                            .withDescription("join failed: " + error)
                            .asRuntimeException());
                } else {
                    observer.onNext(JoinMessages.toProto(outcome));
                    observer.onCompleted();
                }
            } catch (RuntimeException e) {
                LOG.debug("Join answer to {} not delivered: {}", request.getFrom(), e.toString());
            }
        });
    }

    /**
     * Admits a request if its claims pass the {@link ClusterGuard} and it is structurally valid
     * ({@link InboundChecks}); otherwise answers with the refusal.
     *
     * @param settings the sender's settings fingerprint, or {@code null} where they do not matter
     * @param problem what {@link InboundChecks} found wrong, or {@code null}
     */
    private boolean admitted(
            String clusterId, String from, String to, String settings, String problem, StreamObserver<?> observer) {
        Status refusal = guard.check(clusterId, from, to, settings);
        if (refusal == null && problem != null) {
            refusal = guard.invalid(from, problem);
        }
        if (refusal != null) {
            observer.onError(refusal.asRuntimeException());
            return false;
        }
        contacts.heardFrom(from);
        return true;
    }

    private void deliver(
            String from,
            PendingReplies.Kind kind,
            java.util.function.Supplier<Message> mapping,
            StreamObserver<?> observer) {
        Message message;
        try {
            message = mapping.get();
        } catch (RuntimeException e) {
            // InboundChecks should have caught it; never let a bad message escape as UNKNOWN.
            observer.onError(guard.invalid(from, String.valueOf(e.getMessage())).asRuntimeException());
            return;
        }
        pending.park(from, kind, observer);
        try {
            inbound.accept(message);
        } catch (RuntimeException e) {
            refuseStopped(observer, e);
        }
    }

    private static void refuseStopped(StreamObserver<?> observer, RuntimeException e) {
        try {
            observer.onError(Status.UNAVAILABLE
                    .withDescription("this Raft node is not running: " + e.getMessage())
                    .asRuntimeException());
        } catch (RuntimeException ignored) {
            // already answered
        }
    }
}
