package io.raftboot.core.storage;

import io.raftboot.core.node.Membership;
import java.util.Arrays;
import java.util.Objects;

/**
 * A state-machine snapshot replacing the log up to and including {@code lastIndex}
 * (Raft paper §7).
 *
 * @param lastIndex index of the last entry the snapshot includes
 * @param lastTerm term of that entry
 * @param membership voters and learners as of {@code lastIndex}
 * @param data the state machine's serialized state
 */
public record Snapshot(long lastIndex, long lastTerm, Membership membership, byte[] data) {

    public Snapshot {
        Objects.requireNonNull(membership, "membership");
        Objects.requireNonNull(data, "data");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Snapshot s
                && s.lastIndex == lastIndex
                && s.lastTerm == lastTerm
                && s.membership.equals(membership)
                && Arrays.equals(s.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(lastIndex, lastTerm, membership, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "Snapshot[" + lastIndex + "@" + lastTerm + " " + data.length + "B]";
    }
}
