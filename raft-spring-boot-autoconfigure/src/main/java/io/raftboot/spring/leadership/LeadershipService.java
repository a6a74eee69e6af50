package io.raftboot.spring.leadership;

import io.raftboot.core.loop.LeaderLease;
import io.raftboot.core.loop.RoleLease;
import io.raftboot.core.node.Role;
import io.raftboot.core.node.RoleGrant;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * This node's view of the cluster's leadership, and the leader's tools to give it up.
 *
 * <p>{@link #isLeader()} is true only while this node holds a valid leader lease: a majority
 * acknowledged one of its heartbeats recently enough that no other node can have been elected
 * since. A node that merely believes it is leader (partitioned away, lease expired) answers
 * false. Guard leader-only side effects with it. To fence an external system against a deposed
 * leader's late writes, read {@link #lease()} once and send its {@link LeaderLease#fencingToken()}:
 * the term and the lease come from one status, so the token is always the lease's own.
 *
 * <p>Named roles (issue 16) work the same way, one lease per role: {@link #isLeader(String)}
 * guards a role's side effects, {@link #roleLease(String)} gives its fencing token. The role
 * methods have defaults that hold nothing, so an implementation written before them stays safe.
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
     * This node's lease, read atomically with the term it was won in: empty unless this node
     * leads with a valid lease right now. Use it where the fencing token must belong to the lease
     * that let the work in:
     * <pre>{@code
     * leadership.lease().ifPresent(lease -> store.write(data, lease.fencingToken()));
     * }</pre>
     */
    Optional<LeaderLease> lease();

    /**
     * The current term, read on its own. It is <em>not</em> tied to a lease: read after
     * {@link #isLeader()} it may already be the next leadership's term. Use {@link #lease()} for
     * a fencing token.
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
     * Gives leadership to the most up-to-date voter; completes with the id of that chosen target
     * once this node no longer leads (the target is asked to campaign at once and usually wins, but
     * the future does not wait to see who does: read {@link #leaderId()} for that), or with
     * {@code null} if this node was not leading or had no other voter.
     */
    CompletableFuture<String> stepDown();

    /**
     * Whether this node holds the named {@code role} with a valid lease right now. The empty
     * role is the Raft leader's: {@code isLeader("")} is {@link #isLeader()}.
     */
    default boolean isLeader(String role) {
        return role.isEmpty() ? isLeader() : roleLease(role).isPresent();
    }

    /**
     * This node's hold of the named {@code role}, read atomically with its fencing token: empty
     * unless this node holds the role with a valid lease right now. Send the token as the fencing
     * token, so a store rejects the late writes of an earlier holder:
     * <pre>{@code
     * leadership.roleLease("billing").ifPresent(lease -> store.write(data, lease.fencingToken()));
     * }</pre>
     *
     * @throws IllegalArgumentException for the empty role: the Raft leader's lease is {@link #lease()}
     */
    default Optional<RoleLease> roleLease(String role) {
        if (role.isEmpty()) {
            throw new IllegalArgumentException("the empty role is the Raft leader's: read lease() instead");
        }
        return Optional.empty();
    }

    /**
     * Who holds each named role, cluster-wide, as the configuration this node knows says (it may
     * lag behind the leader's); the token of each grant is its fencing token.
     */
    default Map<String, RoleGrant> roleAssignments() {
        return Map.of();
    }

    /**
     * Moves the named {@code role} to member {@code target} (on the leader; an operator's
     * request): completes once the leader took the request. The move then runs: the holder's
     * grant is revoked, the leader waits until the holder's lease surely ran out (unless it gave
     * the role up itself), and grants it to {@code target}; watch {@link #roleAssignments()}. Fails
     * with {@code NotLeaderException} on another node and with {@link IllegalArgumentException}
     * when {@code target} is not a member or does not offer the role.
     */
    default CompletableFuture<Void> moveRole(String role, String target) {
        return CompletableFuture.failedFuture(
                new UnsupportedOperationException("this LeadershipService moves no role"));
    }

    /** Registers a callback for leadership transitions, called on the Raft event thread. */
    void addListener(LeadershipListener listener);

    void removeListener(LeadershipListener listener);
}
