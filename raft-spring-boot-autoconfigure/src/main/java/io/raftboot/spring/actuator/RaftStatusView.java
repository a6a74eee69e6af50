package io.raftboot.spring.actuator;

import java.util.List;

/**
 * The {@code GET /actuator/raft} document. Field names are a contract (docs/api.md,
 * "GET /actuator/raft"): fields may be added, never renamed.
 *
 * @param role LEADER, CANDIDATE, FOLLOWER or LEARNER
 * @param leaderId the leader this node knows of, or null
 * @param leaderUrl that leader's host:port, or null
 * @param leaseValidForMillis how much longer this node surely leads; 0 on non-leaders
 * @param membershipIndex log index of the configuration in force (0: the bootstrap membership of
 *     raft.peers)
 * @param members every member of that configuration, this node included, with its role
 * @param roles every named role assigned in that configuration (issue 16), by name
 */
public record RaftStatusView(
        String nodeId,
        String clusterId,
        String role,
        long term,
        String leaderId,
        String leaderUrl,
        long commitIndex,
        long lastApplied,
        long configVersion,
        long leaseValidForMillis,
        List<Peer> peers,
        long membershipIndex,
        List<Member> members,
        List<NamedRole> roles) {

    /**
     * One named role as this node knows it.
     *
     * @param holder the node the configuration assigns it to
     * @param token the fencing token of that grant (the log index of the grant)
     * @param heldHere whether this node holds it with a valid lease right now
     * @param leaseValidForMillis how much longer this node surely holds it; 0 unless held here
     *     (the lease of another holder is not known here)
     */
    public record NamedRole(String name, String holder, long token, boolean heldHere, long leaseValidForMillis) {}

    /**
     * One other member.
     *
     * @param voting false for a learner
     * @param matchIndex the last log index known replicated there (leader only; -1 elsewhere)
     * @param lastContactMillis milliseconds since this node last heard from it, -1 if never
     * @param reachable whether its connection is up or it was heard from recently
     */
    /**
     * One member of the configuration in force.
     *
     * @param role {@code voter}, {@code learner}, or {@code joining} (a learner the leader promotes
     *     once its log caught up)
     */
    public record Member(String id, String url, String role) {}

    public record Peer(
            String id, String url, boolean voting, long matchIndex, long lastContactMillis, boolean reachable) {}
}
