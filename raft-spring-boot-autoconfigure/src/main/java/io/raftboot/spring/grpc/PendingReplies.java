package io.raftboot.spring.grpc;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.raftboot.core.message.AppendResponse;
import io.raftboot.core.message.Message;
import io.raftboot.core.message.SnapshotResponse;
import io.raftboot.core.message.VoteResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Server calls waiting for the core's answer. The core is message passing (a response is just
 * another message it emits later); gRPC is request/response. A request RPC from peer P is parked
 * here, the request goes into the Raft loop, and when the loop sends a response message to P it
 * completes the oldest parked call from P that can carry it. The core answers every
 * AppendEntries, RequestVote and InstallSnapshot once, in the order received, so the FIFO pairs
 * them exactly; and since responses are self-describing (term, match index, read sequence) even a
 * mismatch after a lost answer would be harmless. A call whose client gave up (deadline,
 * cancellation) leaves the queue; a response with no parked call is dropped, which Raft
 * tolerates like any lost message. A frame of a {@code Replicate} stream is parked the same way,
 * as a slot of that stream ({@link ReplySlot}). See docs/spring.md, "gRPC transport".
 */
public final class PendingReplies {

    /** Which RPC a parked call belongs to, hence which replies it can carry. */
    enum Kind {
        APPEND,
        VOTE,
        SNAPSHOT
    }

    /** Parked calls beyond this many per sender and kind are refused: the peer is far ahead of us. */
    static final int MAX_PARKED = 1024;

    /** A parked unary call: answered once, then completed. */
    private record Parked(ServerCallStreamObserver<Object> observer) implements ReplySlot {

        @Override
        public boolean isCancelled() {
            return observer.isCancelled();
        }

        @Override
        public void reply(Object reply) {
            observer.onNext(reply);
            observer.onCompleted();
        }

        @Override
        public void fail(Status status) {
            try {
                if (!observer.isCancelled()) {
                    observer.onError(status.asRuntimeException());
                }
            } catch (RuntimeException ignored) {
                // already cancelled or completed
            }
        }
    }

    private final MessageMapper mapper;
    private final Map<String, Map<Kind, ArrayDeque<ReplySlot>>> parked = new HashMap<>();
    /** Open Replicate streams, each as the slot that ends it: a stop fails them with the parked calls. */
    private final Set<ReplySlot> streams = new HashSet<>();
    /** Set once the node stops: new streams are ended at once with it. */
    private Status streamsRefused;
    /**
     * Set once the loop is gone ({@link #failAllStopping}): nothing would ever answer a call parked
     * after it, and a server that stops after the node (the own one, last in its stop) waits for its
     * calls in flight up to its shutdown grace; such calls fail at once with it.
     */
    private Status callsRefused;

    public PendingReplies(MessageMapper mapper) {
        this.mapper = mapper;
    }

    /** Parks a server call from {@code peer}; call before handing the request to the loop. */
    @SuppressWarnings("unchecked")
    void park(String peer, Kind kind, StreamObserver<?> observer) {
        ServerCallStreamObserver<Object> call = (ServerCallStreamObserver<Object>) observer;
        Parked p = new Parked(call);
        park(peer, kind, p);
        call.setOnCancelHandler(() -> remove(peer, kind, p));
    }

    /**
     * Parks one AppendEntries frame of a {@code Replicate} stream from {@code peer}, in the same
     * queue as parked Heartbeat calls: the core answers in the order it received them, whichever
     * way they came. Call before handing the frame to the loop. A slot of a stream that closed
     * meanwhile reports itself cancelled and is skipped.
     */
    void parkFrame(String peer, ReplySlot frame) {
        park(peer, Kind.APPEND, frame);
    }

    /**
     * Tracks an open {@code Replicate} stream until {@link #streamClosed}: {@link #failAll} ends it
     * too, or a stopping node's server would wait for the leader's stream until its grace ran out.
     */
    void streamOpened(ReplySlot stream) {
        Status refused;
        synchronized (this) {
            refused = streamsRefused;
            if (refused == null) {
                streams.add(stream);
            }
        }
        if (refused != null) {
            stream.fail(refused);
        }
    }

    /**
     * Ends every open {@code Replicate} stream and refuses new ones: this node is stopping. Its
     * leader sends AppendEntries as calls from then on. Called as the context closes, right after
     * the leadership handoff: an application's gRPC server (net.devh's, phase {@code
     * Integer.MAX_VALUE}) stops before the node and would otherwise wait out its whole shutdown
     * grace (30 s by default) for the leader's long-lived stream.
     */
    public void refuseStreamsStopping(String nodeId) {
        Status status = stopping(nodeId);
        List<ReplySlot> open;
        synchronized (this) {
            streamsRefused = status;
            open = new ArrayList<>(streams);
            streams.clear();
        }
        open.forEach(s -> s.fail(status));
    }

    private static Status stopping(String nodeId) {
        return Status.UNAVAILABLE.withDescription("node '" + nodeId + "' is stopping");
    }

    synchronized void streamClosed(ReplySlot stream) {
        streams.remove(stream);
    }

    private void park(String peer, Kind kind, ReplySlot slot) {
        ReplySlot refused = null;
        Status status = null;
        synchronized (this) {
            if (callsRefused != null) {
                refused = slot;
                status = callsRefused;
            } else {
                ArrayDeque<ReplySlot> queue = queue(peer, kind);
                queue.addLast(slot);
                if (queue.size() > MAX_PARKED) {
                    refused = queue.pollFirst();
                    status = Status.RESOURCE_EXHAUSTED.withDescription("too many Raft requests waiting for an answer");
                }
            }
        }
        if (refused != null) {
            refused.fail(status);
        }
    }

    /**
     * Completes the oldest parked call that can carry {@code response}.
     *
     * @return false if no call from the response's receiver was waiting
     */
    public boolean answer(Message response) {
        String peer = response.to();
        if (response instanceof AppendResponse ar) {
            return complete(peer, Kind.APPEND, mapper::toProto, ar)
                    || complete(peer, Kind.SNAPSHOT, mapper::toSnapshotReturn, ar);
        }
        if (response instanceof VoteResponse vr) {
            return complete(peer, Kind.VOTE, mapper::toProto, vr);
        }
        if (response instanceof SnapshotResponse sr) {
            return complete(peer, Kind.SNAPSHOT, mapper::toProto, sr);
        }
        throw new IllegalArgumentException("not a response: " + response);
    }

    /**
     * Fails every parked call, and every call parked from now on: this node is stopping
     * ({@code UNAVAILABLE}, so the peer retries elsewhere).
     */
    public void failAllStopping(String nodeId) {
        refuseStreamsStopping(nodeId);
        Status stopping = stopping(nodeId);
        synchronized (this) {
            callsRefused = stopping;
        }
        failAll(stopping);
    }

    /** Fails every parked call with {@code status}. */
    public void failAll(Status status) {
        List<ReplySlot> all = new ArrayList<>();
        synchronized (this) {
            parked.values().forEach(byKind -> byKind.values().forEach(all::addAll));
            parked.clear();
            all.addAll(streams);
            streams.clear();
        }
        all.forEach(p -> p.fail(status));
    }

    /** Number of parked calls, for tests and diagnostics. */
    public synchronized int size() {
        int n = 0;
        for (Map<Kind, ArrayDeque<ReplySlot>> byKind : parked.values()) {
            for (ArrayDeque<ReplySlot> q : byKind.values()) {
                n += q.size();
            }
        }
        return n;
    }

    private <M> boolean complete(String peer, Kind kind, Function<M, Object> toReply, M response) {
        ReplySlot p;
        synchronized (this) {
            Map<Kind, ArrayDeque<ReplySlot>> byKind = parked.get(peer);
            ArrayDeque<ReplySlot> queue = byKind == null ? null : byKind.get(kind);
            if (queue == null) {
                return false;
            }
            p = null;
            for (Iterator<ReplySlot> it = queue.iterator(); it.hasNext(); ) {
                ReplySlot candidate = it.next();
                it.remove();
                if (!candidate.isCancelled()) {
                    p = candidate;
                    break;
                }
            }
            if (p == null) {
                return false;
            }
        }
        try {
            p.reply(toReply.apply(response));
        } catch (RuntimeException e) {
            // Cancelled between the check and the reply: the answer is lost, as on a network.
            return false;
        }
        return true;
    }

    private synchronized void remove(String peer, Kind kind, ReplySlot p) {
        Map<Kind, ArrayDeque<ReplySlot>> byKind = parked.get(peer);
        if (byKind != null && byKind.get(kind) != null) {
            byKind.get(kind).remove(p);
        }
    }

    private ArrayDeque<ReplySlot> queue(String peer, Kind kind) {
        return parked.computeIfAbsent(peer, k -> new HashMap<>()).computeIfAbsent(kind, k -> new ArrayDeque<>());
    }
}
