package io.raftboot.spring.leadership;

import io.raftboot.core.node.Role;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * This node's view of the cluster's leadership, and the leader's tools to give it up.
 *
 * <p>{@link #isLeader()} is true only while this node holds a valid leader lease: a majority
 * acknowledged one of its heartbeats recently enough that no other node can have been elected
 * since. A node that merely believes it is leader (partitioned away, lease expired) answers
 * false. Guard leader-only side effects with it, and pass {@link #fencingToken()} to external
 * systems so they can reject a deposed leader's late writes.
 */
public interface LeadershipService {

    /** This node's id ({@code raft.node-id}). */
    String nodeId();

    /** Whether this node leads and holds a valid lease right now. */
    boolean isLeader();

    /** This node's Raft role; {@code LEADER} does not imply {@link #isLeader()} (see above). */
    Role role();

    /** This node's current term. */
    long term();

    /** The leader this node knows of in the current term, if any (possibly itself). */
    Optional<String> leaderId();

    /** The gRPC address (host:port from {@code raft.peers}) of {@link #leaderId()}. */
    Optional<String> leaderUrl();

    /**
     * A number that grows with every new leadership: the term. Valid as a fencing token while
     * {@link #isLeader()} is true; a store that remembers the highest token it saw can reject
     * writes of a deposed leader.
     */
    long fencingToken();

    /**
     * Waits until a leader is known (on any node), at most {@code timeout}.
     *
     * @return the leader's id, or empty if none was known within the timeout
     */
    Optional<String> awaitLeader(Duration timeout);

    /**
     * Hands leadership to voter {@code nodeId}; completes once this node no longer leads. Fails
     * with {@code NotLeaderException} if this node is not the leader.
     */
    CompletableFuture<Void> transferLeadership(String nodeId);

    /**
     * Gives leadership to the most up-to-date voter; completes with its id once this node no
     * longer leads, or with {@code null} if this node was not leading.
     */
    CompletableFuture<String> stepDown();

    /** Registers a callback for leadership transitions, called on the Raft event thread. */
    void addListener(LeadershipListener listener);

    void removeListener(LeadershipListener listener);
}
