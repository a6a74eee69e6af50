package io.raftboot.core.loop;

/**
 * A proposal accepted by this node as leader did not complete here because leadership moved on.
 * Unlike {@link io.raftboot.core.node.NotLeaderException} the command did enter the log, so a
 * blind retry may apply it twice; a retry of the same client-session write
 * ({@link io.raftboot.core.store.SessionCommand.Write}) is applied once
 * ({@link io.raftboot.core.client.ProposalOutcomes} reads this failure for the write path).
 */
public class LeadershipLostException extends RuntimeException {

    private final boolean outcomeUnknown;

    public LeadershipLostException(String message, boolean outcomeUnknown) {
        super(message);
        this.outcomeUnknown = outcomeUnknown;
    }

    /**
     * {@code true} if the entry may still be committed by the next leader (this node stepped down
     * before applying it); {@code false} if it was overwritten and will surely never be applied.
     */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}
