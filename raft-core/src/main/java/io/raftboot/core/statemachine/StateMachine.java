package io.raftboot.core.statemachine;

/**
 * The replicated state machine (Raft paper §5): fed committed commands in log order, the same
 * on every node. Must be deterministic. Called only from the driver thread.
 */
public interface StateMachine {

    /**
     * Applies one committed command.
     *
     * @return the result handed to whoever proposed it (only on the node that proposed)
     */
    Object apply(long index, byte[] command);

    /** Serializes the whole state, as of the last applied command. */
    byte[] snapshot();

    /** Replaces the whole state with a snapshot's. */
    void restore(byte[] snapshot);
}
