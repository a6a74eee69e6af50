package io.raftboot.spring.leadership;

/**
 * Callbacks for leadership transitions: an alternative to the Spring events and to
 * {@code @OnLeader}/{@code @OnLeaderRevoked}. Beans implementing it are registered
 * automatically; others through {@link LeadershipService#addListener}. Called on the Raft event
 * thread, in order, after the matching Spring event was published; keep them short.
 */
public interface LeadershipListener {

    /**
     * This node became leader with a valid lease in {@code term}. Called later, on the Raft event
     * thread: {@code isLeader()} was true when the transition happened and may be false again by
     * now; read {@link LeadershipService#lease()} and compare its term before acting.
     */
    default void onLeadershipGranted(long term) {}

    /**
     * This node stopped being leader (or lost its lease) in {@code term}; {@code isLeader()} was
     * false from that moment on (it may be true again by the time this runs: in a later term, or
     * in the same one when a lapsed lease was renewed).
     */
    default void onLeadershipRevoked(long term) {}

    /** A leader became known: {@code leaderId} leads in {@code term} (called on every node). */
    default void onLeaderChanged(String leaderId, long term) {}
}
