package io.raftboot.spring.grpc;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.raftboot.proto.HBeat;
import io.raftboot.proto.HBeatReturn;
import io.raftboot.proto.RaftGrpc;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's long-lived {@code Replicate} stream to one follower: AppendEntries frames
 * (heartbeats, and appends of at most {@link #MAX_FRAME_BYTES}) go out on it instead of a unary
 * Heartbeat call each, which costs the event loops of both nodes far less at 20 heartbeats a
 * second. Opened lazily by {@link #trySend}; each answer names the frame it answers
 * ({@code stream_frame}) and is handed to the {@link Listener} once, with its round trip.
 *
 * <p>{@link #trySend} never blocks and says whether the frame went out: when it did not (no
 * stream yet, the stream is not ready for more, it broke, the peer does not know the method),
 * the caller sends the message as a Heartbeat call instead. A stream that fails, closes or goes
 * {@link #replyTimeoutNanos} without answering its oldest frame is abandoned (those frames are
 * lost messages) and reopened after a backoff that doubles up to the election timeout, not on
 * every send. A peer that answers {@code UNIMPLEMENTED} (an earlier release, during a rolling
 * upgrade) gets Heartbeat calls only, until its connection is replaced. Until a new stream's first
 * answer, it carries one frame and the rest go as calls: that frame is kept, and sent as a call if
 * the peer's {@code UNIMPLEMENTED} comes back instead (the peer never read it), so the change to
 * calls loses nothing.
 *
 * <p>Why the core is indifferent to the change: a frame that went out is never also sent as a
 * call, and an answer is delivered at most once (a second answer for a frame, or one for a frame
 * not outstanding, is dropped), so no message is duplicated. Frames on one stream arrive in
 * order, but frames and Heartbeat calls to the same follower may overtake each other, as two
 * Heartbeat calls already could (an empty one runs on the transport thread, one with entries on
 * the executor): AppendEntries requests are idempotent and checked against the log (Fig. 2,
 * §5.3), and their responses are self-describing (term, match index, read sequence), so the
 * leader tolerates responses that are lost, late or out of order (§5.3, thesis §6.4).
 *
 * <p>Thread-safe: sends come from the Raft loop, answers and failures from the transport.
 */
final class ReplicationStream {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicationStream.class);

    /**
     * Largest frame sent on the stream (serialized AppendEntries); larger appends go as calls,
     * which the receiver runs on its executor rather than its transport thread ({@link RaftCallExecutor}).
     */
    static final int MAX_FRAME_BYTES = 16 * 1024;
    /** Frames without an answer beyond this many: the stream is stuck. */
    static final int MAX_OUTSTANDING = 256;
    /** First reopen delay after a failure; doubles up to the election timeout. */
    static final long MIN_BACKOFF_NANOS = 100_000_000L;

    /** Where answers and failures go: the transport. Called outside this stream's lock. */
    interface Listener {

        /** An answer from the peer, for a frame sent {@code roundTripNanos} ago. */
        void reply(String peer, HBeatReturn reply, long roundTripNanos);

        /** The stream failed or was abandoned with {@code status}. */
        void broken(String peer, Status status);

        /** A frame the peer never read (it does not serve the stream): send it as a Heartbeat call. */
        void unread(String peer, HBeat frame);
    }

    private final String peerId;
    private final ManagedChannel channel;
    private final RaftGrpc.RaftStub stub;
    private final Listener listener;
    private final long replyTimeoutNanos;
    private final long maxBackoffNanos;
    private final long idleCloseNanos;

    // Guarded by this.
    private Responses current;
    private ClientCallStreamObserver<HBeat> requests;
    private long lastFrame;
    private long lastSendNanos;
    /** Frames sent and not answered yet: {frame number, sent at}, oldest first. */
    private final ArrayDeque<long[]> outstanding = new ArrayDeque<>();
    /** Whether the peer answered a frame of the current stream: it serves the stream. */
    private boolean proven;
    /**
     * The one frame sent on a stream not proven yet, kept: a peer that does not serve the stream
     * ends it with UNIMPLEMENTED without reading it, and it then goes as a call. Until the first
     * answer, later frames go as calls, so no other frame can be lost that way.
     */
    private HBeat probe;

    private long reopenAtNanos = System.nanoTime();
    private long backoffNanos;
    private boolean unsupported;
    private boolean closed;

    /**
     * @param replyTimeoutNanos how long the oldest frame may wait for its answer (the RPC timeout)
     * @param maxBackoffNanos the longest wait before reopening (the election timeout)
     * @param idleCloseNanos a stream that carried nothing for this long is closed (this node no longer leads)
     */
    ReplicationStream(
            String peerId,
            ManagedChannel channel,
            RaftGrpc.RaftStub stub,
            Listener listener,
            long replyTimeoutNanos,
            long maxBackoffNanos,
            long idleCloseNanos) {
        this.peerId = peerId;
        this.channel = channel;
        this.stub = stub;
        this.listener = listener;
        this.replyTimeoutNanos = replyTimeoutNanos;
        this.maxBackoffNanos = Math.max(MIN_BACKOFF_NANOS, maxBackoffNanos);
        this.idleCloseNanos = idleCloseNanos;
    }

    /**
     * Sends {@code frame} on the stream if it can go out now.
     *
     * @return true if it went out (or was lost with a stream that broke under it: never send it
     *     again), false if the caller should send it as a Heartbeat call
     */
    boolean trySend(HBeat frame, long nowNanos) {
        Status abandoned;
        boolean lost = false;
        synchronized (this) {
            if (closed || unsupported) {
                return false;
            }
            if (requests == null) {
                if (nowNanos - reopenAtNanos >= 0) {
                    open(nowNanos); // ready for frames once the peer accepted it: this one goes as a call
                }
                return false;
            }
            if (!outstanding.isEmpty()
                    && (nowNanos - outstanding.peekFirst()[1] > replyTimeoutNanos
                            || outstanding.size() >= MAX_OUTSTANDING)) {
                abandoned = Status.DEADLINE_EXCEEDED.withDescription(
                        "no answer on the Replicate stream to " + peerId + " within the RPC timeout");
                abandon(nowNanos);
            } else if (!requests.isReady()) {
                return false; // flow control: the peer does not take frames as fast; never buffer without bound
            } else if (!proven && probe != null) {
                return false; // the peer may not serve the stream: one frame on it until it answers
            } else {
                long number = ++lastFrame;
                outstanding.addLast(new long[] {number, nowNanos});
                lastSendNanos = nowNanos;
                try {
                    requests.onNext(frame.toBuilder().setStreamFrame(number).build());
                    if (!proven) {
                        probe = frame;
                    }
                    return true;
                } catch (RuntimeException e) {
                    // The call ended under us: this frame is lost, never sent twice.
                    abandoned = Status.fromThrowable(e);
                    lost = true;
                    abandon(nowNanos);
                }
            }
        }
        listener.broken(peerId, abandoned);
        return lost;
    }

    /** Closes the stream if it carried nothing for a while: this node no longer leads. */
    void closeIfIdle(long nowNanos) {
        synchronized (this) {
            if (requests == null || nowNanos - lastSendNanos < idleCloseNanos) {
                return;
            }
            ClientCallStreamObserver<HBeat> idle = requests;
            current = null;
            requests = null;
            outstanding.clear();
            try {
                idle.onCompleted();
            } catch (RuntimeException ignored) {
                // already ended
            }
        }
    }

    /** Whether a stream is open (tests, diagnostics). */
    synchronized boolean isOpen() {
        return requests != null;
    }

    /** Whether the peer answered UNIMPLEMENTED and is served by calls until it reconnects. */
    synchronized boolean unsupported() {
        return unsupported;
    }

    void close() {
        synchronized (this) {
            closed = true;
            if (requests != null) {
                ClientCallStreamObserver<HBeat> open = requests;
                current = null;
                requests = null;
                open.cancel("channel shut down", null);
            }
        }
    }

    private void open(long nowNanos) {
        Responses responses = new Responses();
        current = responses;
        outstanding.clear();
        proven = false;
        probe = null;
        lastSendNanos = nowNanos;
        requests = (ClientCallStreamObserver<HBeat>) stub.replicate(responses);
    }

    /** Cancels the stream and schedules the next one after the backoff; call holding the lock. */
    private void abandon(long nowNanos) {
        ClientCallStreamObserver<HBeat> broken = requests;
        current = null;
        requests = null;
        outstanding.clear();
        probe = null; // lost with the stream: the peer may have read it
        backOff(nowNanos);
        if (broken != null) {
            try {
                broken.cancel("abandoned", null);
            } catch (RuntimeException ignored) {
                // already ended
            }
        }
    }

    private void backOff(long nowNanos) {
        backoffNanos = backoffNanos == 0 ? MIN_BACKOFF_NANOS : Math.min(2 * backoffNanos, maxBackoffNanos);
        reopenAtNanos = nowNanos + backoffNanos;
    }

    /** The answers of one stream; callbacks of an abandoned stream are ignored. */
    private final class Responses implements ClientResponseObserver<HBeat, HBeatReturn> {

        @Override
        public void beforeStart(ClientCallStreamObserver<HBeat> requestStream) {
            // the default flow control: inbound messages requested one at a time, outbound via isReady
        }

        @Override
        public void onNext(HBeatReturn reply) {
            long now = System.nanoTime();
            long roundTrip;
            synchronized (ReplicationStream.this) {
                if (current != this) {
                    return;
                }
                long number = reply.getStreamFrame();
                while (!outstanding.isEmpty() && outstanding.peekFirst()[0] < number) {
                    outstanding.pollFirst(); // their answers were lost
                }
                if (outstanding.isEmpty() || outstanding.peekFirst()[0] != number) {
                    LOG.debug("Dropping an answer of {} for frame {}, which is not outstanding", peerId, number);
                    return;
                }
                roundTrip = now - outstanding.pollFirst()[1];
                backoffNanos = 0; // the stream works
                proven = true;
                probe = null;
            }
            listener.reply(peerId, reply, roundTrip);
        }

        @Override
        public void onError(Throwable t) {
            ended(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            ended(Status.UNAVAILABLE.withDescription("the peer closed the Replicate stream"));
        }

        private void ended(Status status) {
            HBeat unread = null;
            synchronized (ReplicationStream.this) {
                if (current != this) {
                    return;
                }
                current = null;
                requests = null;
                outstanding.clear();
                if (status.getCode() == Status.Code.UNIMPLEMENTED) {
                    unsupported = true;
                    unread = probe;
                    ConnectivityState state = channel.getState(false);
                    channel.notifyWhenStateChanged(state, ReplicationStream.this::reconnected);
                } else {
                    backOff(System.nanoTime());
                }
                probe = null;
            }
            if (status.getCode() == Status.Code.UNIMPLEMENTED) {
                LOG.info(
                        "Peer {} does not serve the Replicate stream (an earlier release?): AppendEntries go to it"
                                + " as Heartbeat calls until it reconnects",
                        peerId);
                if (unread != null) {
                    listener.unread(peerId, unread);
                }
            } else {
                listener.broken(peerId, status);
            }
        }
    }

    /** The connection changed (the peer may have been upgraded): try the stream again. */
    private synchronized void reconnected() {
        unsupported = false;
        reopenAtNanos = System.nanoTime();
    }
}
