package io.raftboot.spring.grpc;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.raftboot.core.message.Message;
import io.raftboot.proto.ForwardRequest;
import io.raftboot.proto.ForwardReturn;
import io.raftboot.proto.HBeat;
import io.raftboot.proto.HBeatReturn;
import io.raftboot.proto.InstallSnapshotRequest;
import io.raftboot.proto.InstallSnapshotReturn;
import io.raftboot.proto.RaftGrpc;
import io.raftboot.proto.ReqVote;
import io.raftboot.proto.ReqVoteReturn;
import io.raftboot.proto.TimeoutNowRequest;
import io.raftboot.proto.TimeoutNowReturn;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's gRPC service (the seed's {@code RaftServer}): a plain grpc-java
 * {@link io.grpc.BindableService}. It admits only members of the cluster ({@link ClusterGuard}),
 * hands each request to the Raft loop and answers with the loop's response
 * ({@link PendingReplies}). TimeoutNow is acknowledged at once (its reply carries nothing the
 * core needs). Forward is served by the {@link ForwardHandler}.
 */
public class RaftServer extends RaftGrpc.RaftImplBase {

    private static final Logger LOG = LoggerFactory.getLogger(RaftServer.class);

    private final MessageMapper mapper;
    private final ClusterGuard guard;
    private final PendingReplies pending;
    private final PeerContacts contacts;
    private final Consumer<Message> inbound;
    private final ForwardHandler forwardHandler;
    private final LongSupplier currentTerm;

    /**
     * @param inbound delivers a message to the Raft loop (must not block)
     * @param currentTerm this node's term, for the TimeoutNow acknowledgement
     */
    public RaftServer(MessageMapper mapper, ClusterGuard guard, PendingReplies pending, PeerContacts contacts,
                      Consumer<Message> inbound, ForwardHandler forwardHandler, LongSupplier currentTerm) {
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
        if (admitted(request.getClusterId(), request.getFrom(), request.getTo(), observer)) {
            deliver(request.getFrom(), PendingReplies.Kind.APPEND, mapper.fromProto(request), observer);
        }
    }

    @Override
    public void requestVote(ReqVote request, StreamObserver<ReqVoteReturn> observer) {
        if (admitted(request.getClusterId(), request.getFrom(), request.getTo(), observer)) {
            deliver(request.getFrom(), PendingReplies.Kind.VOTE, mapper.fromProto(request), observer);
        }
    }

    @Override
    public void installSnapshot(InstallSnapshotRequest request, StreamObserver<InstallSnapshotReturn> observer) {
        if (admitted(request.getClusterId(), request.getFrom(), request.getTo(), observer)) {
            deliver(request.getFrom(), PendingReplies.Kind.SNAPSHOT, mapper.fromProto(request), observer);
        }
    }

    @Override
    public void timeoutNow(TimeoutNowRequest request, StreamObserver<TimeoutNowReturn> observer) {
        if (!admitted(request.getClusterId(), request.getFrom(), request.getTo(), observer)) {
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
        if (!admitted(request.getClusterId(), request.getFrom(), "", observer)) {
            return;
        }
        forwardHandler.handle(request).whenComplete((reply, error) -> {
            try {
                if (error != null) {
                    observer.onError(Status.INTERNAL.withDescription("forwarded command failed: " + error).asRuntimeException());
                } else {
                    observer.onNext(reply);
                    observer.onCompleted();
                }
            } catch (RuntimeException e) {
                LOG.debug("Forward answer to {} not delivered: {}", request.getFrom(), e.toString());
            }
        });
    }

    private boolean admitted(String clusterId, String from, String to, StreamObserver<?> observer) {
        Status refusal = guard.check(clusterId, from, to);
        if (refusal != null) {
            observer.onError(refusal.asRuntimeException());
            return false;
        }
        contacts.heardFrom(from);
        return true;
    }

    private void deliver(String from, PendingReplies.Kind kind, Message message, StreamObserver<?> observer) {
        pending.park(from, kind, observer);
        try {
            inbound.accept(message);
        } catch (RuntimeException e) {
            refuseStopped(observer, e);
        }
    }

    private static void refuseStopped(StreamObserver<?> observer, RuntimeException e) {
        try {
            observer.onError(Status.UNAVAILABLE.withDescription("this Raft node is not running: " + e.getMessage()).asRuntimeException());
        } catch (RuntimeException ignored) {
            // already answered
        }
    }
}
