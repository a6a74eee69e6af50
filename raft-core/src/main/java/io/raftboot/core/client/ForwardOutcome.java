package io.raftboot.core.client;

import io.raftboot.core.store.ConfigResult;
import java.util.Objects;

/**
 * What became of one attempt to have the leader run a command (a write, or a linearizable read
 * point), as its sender can know it, whether the command was proposed on this node or forwarded
 * to another. Each case says whether the command may still take effect: that, not a transport's
 * error code, decides what the caller may do next. With a client session
 * ({@link io.raftboot.core.store.SessionCommand.Write}) every case may be retried with the same
 * sequence number: the store applies the command at most once.
 */
public sealed interface ForwardOutcome {

    /**
     * Whether a write surely did not and will not take effect through this attempt. Only
     * {@link Applied} and {@link OutcomeUnknown} answer false ({@link ReadIndex} changes nothing).
     */
    default boolean surelyNotApplied() {
        return true;
    }

    /** The write was committed and applied, with this result (which may be a refusal such as a CAS mismatch). */
    record Applied(ConfigResult result) implements ForwardOutcome {
        public Applied {
            Objects.requireNonNull(result, "result");
        }

        @Override
        public boolean surelyNotApplied() {
            return false;
        }
    }

    /** The leader confirmed it still leads at this commit index (Raft thesis §6.4). */
    record ReadIndex(long index) implements ForwardOutcome {}

    /**
     * The receiver does not lead (or lost leadership and the command was overwritten): nothing
     * was or will be applied. {@code leaderHint} is the leader it knows, or null.
     */
    record NotLeader(String leaderHint, String reason) implements ForwardOutcome {}

    /**
     * The command may have entered the log and may still be committed, or may not: the leader
     * stepped down or stopped after proposing it, the answer timed out, or the connection broke
     * after the request may have left.
     */
    record OutcomeUnknown(String reason) implements ForwardOutcome {
        @Override
        public boolean surelyNotApplied() {
            return false;
        }
    }

    /** The command is malformed or exceeds the leader's limits; nothing was proposed. Do not retry as is. */
    record Rejected(String reason) implements ForwardOutcome {}

    /** The leader's queue (or this node's forwarding capacity) is full; nothing was proposed. Retry later. */
    record Overloaded(String reason) implements ForwardOutcome {}

    /** The receiver is stopping or stopped and did not propose the command. */
    record Stopped(String reason) implements ForwardOutcome {}
}
