package io.raftboot.spring.actuator;

import java.util.List;

/**
 * The {@code GET /actuator/raft} document. Field names are a contract (DESIGN.md): fields may be
 * added, never renamed.
 *
 * @param role LEADER, CANDIDATE, FOLLOWER or LEARNER
 * @param leaderId the leader this node knows of, or null
 * @param leaderUrl that leader's host:port, or null
 * @param leaseValidForMillis how much longer this node surely leads; 0 on non-leaders
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
        List<Peer> peers) {

    /**
     * One other member.
     *
     * @param voting false for a learner
     * @param matchIndex the last log index known replicated there (leader only; -1 elsewhere)
     * @param lastContactMillis milliseconds since this node last heard from it, -1 if never
     * @param reachable whether its connection is up or it was heard from recently
     */
    public record Peer(
            String id, String url, boolean voting, long matchIndex, long lastContactMillis, boolean reachable) {}
}
