package io.raftboot.spring.grpc;

/**
 * The {@code error_code} values of a {@code ForwardReturn} with {@code ok=false}, one per
 * {@link io.raftboot.core.client.ForwardOutcome} that is not a success. The older codes a node of
 * an earlier release may send are read as the outcome they meant ({@link ForwardOutcomes}).
 */
public final class ForwardErrors {

    /** The receiver is not the leader (or its entry was overwritten); nothing was or will be applied. */
    public static final String NOT_LEADER = "NOT_LEADER";
    /** The command may have entered the log and may still be committed. */
    public static final String OUTCOME_UNKNOWN = "OUTCOME_UNKNOWN";
    /** The command is malformed or exceeds the store's limits; nothing was proposed. */
    public static final String REJECTED = "REJECTED";
    /** The leader's Raft loop is overloaded; nothing was proposed. */
    public static final String OVERLOADED = "OVERLOADED";
    /**
     * The receiver is stopping and did not propose the command. Receivers still read it as outcome
     * unknown: earlier releases sent STOPPED also after proposing.
     */
    public static final String STOPPED = "STOPPED";

    /** Earlier releases: the entry was overwritten (now {@link #NOT_LEADER}). */
    static final String LEGACY_NOT_APPLIED = "NOT_APPLIED";

    private ForwardErrors() {}
}
