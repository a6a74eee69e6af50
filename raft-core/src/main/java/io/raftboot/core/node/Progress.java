package io.raftboot.core.node;

import java.util.ArrayDeque;

/**
 * The leader's view of one follower (Raft paper Figure 2 nextIndex/matchIndex, plus the
 * flow control of etcd-io/raft: probe one append at a time until the follower's log is found,
 * then stream up to a bounded number of appends).
 */
final class Progress {

    enum State {
        PROBE,
        REPLICATE,
        SNAPSHOT
    }

    final String id;
    /** Counts toward quorums; changes with the configuration. */
    boolean voter;

    long match;
    long next;
    State state = State.PROBE;
    /** Tick at which anything was last heard from this follower in the current term. */
    long lastResponseTick;
    /** Highest commit index this follower can have learned from what we sent it (min(commit, anchor)). */
    long commitSent;
    /** Tick at which match last advanced or an append was last sent in PROBE/SNAPSHOT. */
    long lastProgressTick;
    /** Highest heartbeat sequence the follower echoed (ReadIndex and lease). */
    long ackedSeq;
    /** Last index carried by each outstanding append, oldest first. */
    final ArrayDeque<Long> inflight = new ArrayDeque<>();
    /** In PROBE: an append is outstanding, wait for its answer (or the next heartbeat). */
    boolean probeSent;
    /** Anything at all was heard from this follower in this term (a learner is promoted only then). */
    boolean heard;

    Progress(String id, boolean voter, long next, long tick) {
        this.id = id;
        this.voter = voter;
        this.next = next;
        this.lastResponseTick = tick;
        this.lastProgressTick = tick;
    }

    void becomeProbe() {
        state = State.PROBE;
        next = match + 1;
        inflight.clear();
        probeSent = false;
    }

    void becomeReplicate() {
        state = State.REPLICATE;
        next = match + 1;
        inflight.clear();
        probeSent = false;
    }

    /** Acknowledgement up to {@code index}: frees the appends it covers. */
    boolean maybeUpdate(long index, long tick) {
        boolean advanced = index > match;
        if (advanced) {
            match = index;
            lastProgressTick = tick;
        }
        if (next < index + 1) {
            next = index + 1;
        }
        while (!inflight.isEmpty() && inflight.peekFirst() <= index) {
            inflight.pollFirst();
        }
        probeSent = false;
        return advanced;
    }

    boolean paused(int maxInflight) {
        return switch (state) {
            case PROBE -> probeSent;
            case REPLICATE -> inflight.size() >= maxInflight;
            case SNAPSHOT -> true;
        };
    }
}
