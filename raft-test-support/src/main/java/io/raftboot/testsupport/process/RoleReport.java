package io.raftboot.testsupport.process;

/**
 * What a node said about its Raft role in one answer to a status request: the fields
 * {@code nodeId}, {@code role}, {@code term} and {@code leaderId} that the starter's
 * {@code /actuator/raft} and the benchmarks' Ratis adapter both report. A node that did not
 * answer has no role ({@code null}).
 */
public interface RoleReport {

    String nodeId();

    /** {@code LEADER}, {@code FOLLOWER}, {@code CANDIDATE}, ..., or {@code null} for no answer. */
    String role();

    long term();

    /** The leader it knows of, or {@code null}. */
    String leaderId();

    default boolean isLeader() {
        return "LEADER".equals(role());
    }

    /** A follower of {@code leader} in the leader's term. */
    default boolean isFollowerOf(RoleReport leader) {
        return "FOLLOWER".equals(role()) && leader.nodeId().equals(leaderId()) && term() == leader.term();
    }
}
