package io.raftboot.spring.grpc;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.raftboot.core.message.Message;
import io.raftboot.proto.HBeat;
import io.raftboot.proto.HBeatReturn;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The server side of one {@code Replicate} stream: a leader's AppendEntries frames to this node,
 * each checked exactly as a Heartbeat call is ({@link RaftServer#heartbeatRefusal}: the
 * {@link ClusterGuard}, {@link InboundChecks}), parked in {@link PendingReplies} as one slot per
 * frame and handed to the Raft loop; the core's AppendResponse to that peer is written back on
 * the stream, tagged with the frame it answers ({@code stream_frame}). A stream carries one
 * sender's frames. A refused frame ends the stream with the refusal, as it would fail the call
 * (the leader then falls back to Heartbeat calls and reopens the stream later). Replies are
 * written from the loop's thread and failures from the transport's: one lock orders them.
 */
final class InboundReplicationStream implements StreamObserver<HBeat> {

    private final ServerCallStreamObserver<HBeatReturn> responses;
    private final Function<HBeat, Status> refusal;
    private final Function<HBeat, Message> mapping;
    private final PendingReplies pending;
    private final Consumer<Message> inbound;
    private String peer;
    private volatile boolean closed;

    /**
     * @param refusal the checks of a Heartbeat call: {@code null} to admit a frame, or the status to refuse it with
     * @param mapping the frame as the core's message (throws on what the checks should have caught)
     * @param inbound delivers a message to the Raft loop (must not block)
     */
    InboundReplicationStream(
            ServerCallStreamObserver<HBeatReturn> responses,
            Function<HBeat, Status> refusal,
            Function<HBeat, Message> mapping,
            PendingReplies pending,
            Consumer<Message> inbound) {
        this.responses = responses;
        this.refusal = refusal;
        this.mapping = mapping;
        this.pending = pending;
        this.inbound = inbound;
        responses.setOnCancelHandler(this::cancelled);
        pending.streamOpened(whole);
    }

    /** The stream as a whole, for {@link PendingReplies#failAll}: a stopping node ends it. */
    private final ReplySlot whole = new ReplySlot() {
        @Override
        public boolean isCancelled() {
            return closed;
        }

        @Override
        public void reply(Object reply) {
            throw new UnsupportedOperationException("replies go to a frame's slot");
        }

        @Override
        public void fail(Status status) {
            InboundReplicationStream.this.fail(status);
        }
    };

    private void cancelled() {
        closed = true;
        pending.streamClosed(whole);
    }

    @Override
    public void onNext(HBeat frame) {
        if (closed) {
            return;
        }
        Status refused = refusal.apply(frame);
        if (refused == null && peer != null && !peer.equals(frame.getFrom())) {
            refused = Status.INVALID_ARGUMENT.withDescription("a Replicate stream carries the frames of one sender ('"
                    + peer + "'), not of '" + frame.getFrom() + "'");
        }
        if (refused != null) {
            fail(refused);
            return;
        }
        peer = frame.getFrom();
        Message message;
        try {
            message = mapping.apply(frame);
        } catch (RuntimeException e) {
            // InboundChecks should have caught it; never let a bad frame escape as UNKNOWN.
            fail(Status.INVALID_ARGUMENT.withDescription(String.valueOf(e.getMessage())));
            return;
        }
        pending.parkFrame(peer, new Frame(frame.getStreamFrame()));
        try {
            inbound.accept(message);
        } catch (RuntimeException e) {
            fail(Status.UNAVAILABLE.withDescription("this Raft node is not running: " + e.getMessage()));
        }
    }

    /** The leader closed its side: so do we; frames not answered yet are lost messages. */
    @Override
    public void onCompleted() {
        close(StreamObserver::onCompleted);
    }

    @Override
    public void onError(Throwable t) {
        cancelled();
    }

    private void fail(Status status) {
        close(r -> r.onError(status.asRuntimeException()));
    }

    /** Ends our side once, however it ends: the first of completion and failure wins. */
    private void close(Consumer<StreamObserver<HBeatReturn>> end) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            pending.streamClosed(whole);
            try {
                end.accept(responses);
            } catch (RuntimeException ignored) {
                // cancelled meanwhile
            }
        }
    }

    /** One frame's place in {@link PendingReplies}: its answer goes out on this stream, tagged with its number. */
    private final class Frame implements ReplySlot {

        private final long number;

        Frame(long number) {
            this.number = number;
        }

        @Override
        public boolean isCancelled() {
            return closed;
        }

        @Override
        public void reply(Object reply) {
            HBeatReturn tagged =
                    ((HBeatReturn) reply).toBuilder().setStreamFrame(number).build();
            synchronized (InboundReplicationStream.this) {
                if (closed) {
                    throw new IllegalStateException("the stream closed");
                }
                responses.onNext(tagged);
            }
        }

        @Override
        public void fail(Status status) {
            InboundReplicationStream.this.fail(status);
        }
    }
}
