package io.raftboot.spring.grpc;

/** The {@code error_code} values of a {@code ForwardReturn} with {@code ok=false}. */
public final class ForwardErrors {

    /** The receiver is not the leader (or is handing leadership over); the command was not proposed. */
    public static final String NOT_LEADER = "NOT_LEADER";
    /** The command entered the log but was not applied in time; it may still be committed. */
    public static final String TIMEOUT = "TIMEOUT";
    /** The leader lost leadership after proposing; the command may still be committed. */
    public static final String LEADERSHIP_LOST = "LEADERSHIP_LOST";
    /** The leader lost leadership and the command was overwritten: it will never be applied. */
    public static final String NOT_APPLIED = "NOT_APPLIED";
    /** The command is malformed or exceeds the store's limits; nothing was proposed. */
    public static final String REJECTED = "REJECTED";
    /** The leader's Raft loop is overloaded; nothing was proposed. */
    public static final String OVERLOADED = "OVERLOADED";
    /** The leader's Raft loop is stopping or stopped. */
    public static final String STOPPED = "STOPPED";
    /** Anything else; the message says what. */
    public static final String FAILED = "FAILED";

    private ForwardErrors() {
    }
}
