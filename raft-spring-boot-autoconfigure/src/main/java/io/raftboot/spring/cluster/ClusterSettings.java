package io.raftboot.spring.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The validated, resolved {@code raft.*} settings of one node: what the rest of the Spring layer
 * works from. Built by {@link io.raftboot.spring.autoconfigure.ClusterSettingsValidator}.
 *
 * @param members every member (voters and learners, this node included) and its address, in
 *     configuration order
 * @param tick period of the driver's logical clock: a fifth of the heartbeat interval, so the
 *     election timeout and lease are measured with 1/5 heartbeat precision
 * @param electionTicks the election timeout in ticks
 * @param heartbeatTicks the heartbeat interval in ticks
 */
public record ClusterSettings(
        String nodeId,
        String clusterId,
        Map<String, PeerAddress> members,
        Set<String> voters,
        Set<String> learners,
        Path dataDir,
        Duration tick,
        int electionTicks,
        int heartbeatTicks,
        double maxClockDrift,
        Duration rpcTimeout,
        Duration writeTimeout,
        long maxMessageBytes,
        long maxValueBytes) {

    public ClusterSettings {
        members = Map.copyOf(members);
        voters = Set.copyOf(voters);
        learners = Set.copyOf(learners);
    }

    /**
     * The heartbeat interval: how long a client waits before retrying a request no leader took (a
     * new leader is announced by its first heartbeat).
     */
    public Duration heartbeatInterval() {
        return tick.multipliedBy(heartbeatTicks);
    }

    /**
     * The election timeout T: the period of the connection upkeep (reconnects, crash probes),
     * which must stay short whatever the RPC deadline is.
     */
    public Duration electionTimeout() {
        return tick.multipliedBy(electionTicks);
    }

    /**
     * The settings every member must share, as {@code name=value} pairs: the election timeout,
     * the heartbeat interval (whose fifth is the tick, the unit of the promises voters send in
     * votes) and the max clock drift. The lease is safe only if every voter waits as long as the
     * leader assumes it does (thesis §6.4.1), so a node refuses requests from one whose values
     * differ. Carried in every Raft request.
     */
    public String fingerprint() {
        return SettingsFingerprint.of(electionTimeout(), heartbeatInterval(), maxClockDrift);
    }

    public PeerAddress self() {
        return members.get(nodeId);
    }

    public boolean isMember(String id) {
        return id != null && members.containsKey(id);
    }

    /** The address of a member, or {@code null} for an unknown id. */
    public PeerAddress addressOf(String id) {
        return id == null ? null : members.get(id);
    }
}
