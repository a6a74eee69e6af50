package io.raftboot.core.node;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongToIntFunction;

/**
 * The leader's numbered heartbeat rounds: when each was sent (for the lease) and which
 * linearizable reads wait for a quorum to echo one (ReadIndex, thesis §6.4). Followers echo the
 * round number in their AppendResponse.
 */
final class HeartbeatRounds {

    private static final int RING = 1024;

    private long round;
    private final long[] sentTicks = new long[RING];
    private final ArrayDeque<PendingRead> reads = new ArrayDeque<>();
    private final List<Long> awaitingOwnTermCommit = new ArrayList<>();

    /** The latest round started. */
    long current() {
        return round;
    }

    /** Starts a new round at tick {@code now}; every AppendEntries sent from now on carries it. */
    long start(long now) {
        round++;
        sentTicks[(int) (round % RING)] = now;
        return round;
    }

    /** Tick at which {@code r} started, or -1 when unknown (none yet, or too old to matter). */
    long sentTick(long r) {
        return r > 0 && r <= round && round - r < RING ? sentTicks[(int) (r % RING)] : -1;
    }

    /** A read at {@code index}, confirmed by the next round (which the caller must start). */
    void addRead(long requestId, long index) {
        reads.addLast(new PendingRead(requestId, index, round + 1));
    }

    /** A read that must wait until the leader committed an entry of its own term (§8). */
    void awaitOwnTermCommit(long requestId) {
        awaitingOwnTermCommit.add(requestId);
    }

    List<Long> takeAwaitingOwnTermCommit() {
        List<Long> waiting = new ArrayList<>(awaitingOwnTermCommit);
        awaitingOwnTermCommit.clear();
        return waiting;
    }

    /**
     * Confirms, in order, the reads whose round a quorum echoed.
     *
     * @param acks number of voters (this node included) that echoed a given round or a later one
     */
    void confirm(LongToIntFunction acks, int quorum, List<ReadState> out) {
        while (!reads.isEmpty()) {
            PendingRead read = reads.peekFirst();
            if (read.seq() > round || acks.applyAsInt(read.seq()) < quorum) {
                return; // its round has not started, or not enough echoes yet
            }
            reads.pollFirst();
            out.add(new ReadState(read.requestId(), read.index(), true));
        }
    }

    /** Leadership is lost: every waiting read fails. */
    void failAll(List<ReadState> out) {
        for (PendingRead read : reads) {
            out.add(new ReadState(read.requestId(), read.index(), false));
        }
        for (long requestId : awaitingOwnTermCommit) {
            out.add(new ReadState(requestId, 0, false));
        }
        reads.clear();
        awaitingOwnTermCommit.clear();
    }
}
