package io.raftboot.core.storage;

/**
 * What a node must remember across a crash (Raft paper, Figure 2 "persistent state"), plus the
 * commit index so a restarted node can re-apply what it had applied before (configVersion never
 * goes back).
 *
 * @param votedFor the candidate voted for in {@code term}, or {@code null}
 */
public record HardState(long term, String votedFor, long commit) {

    public static final HardState INITIAL = new HardState(0, null, 0);

    public HardState {
        if (term < 0 || commit < 0) {
            throw new IllegalArgumentException(
                    "term and commit must not be negative: term=" + term + " commit=" + commit);
        }
    }
}
