package io.raftboot.spring.disabled;

import io.raftboot.core.loop.LeaderLease;
import io.raftboot.core.loop.RoleLease;
import io.raftboot.core.node.Role;
import io.raftboot.core.node.RoleGrant;
import io.raftboot.spring.leadership.LeadershipListener;
import io.raftboot.spring.leadership.LeadershipService;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A node without Raft: never the leader, knows no leader, holds no lease. Answering "not the
 * leader" is the only safe answer: a library whose every replica answered "leader" once it was
 * switched off would run each leader-only job on all of them. Listeners are accepted and never
 * called (there is no leadership to gain or lose); transfers and step-downs fail with the reason.
 */
public class DisabledLeadershipService implements LeadershipService {

    private final String nodeId;

    /** @param nodeId {@code raft.node-id} if set, so logs and metrics still name the replica */
    public DisabledLeadershipService(String nodeId) {
        this.nodeId = nodeId;
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public boolean isLeader() {
        return false;
    }

    /** No named role either: a role held on every replica would run its work on all of them. */
    @Override
    public boolean isLeader(String role) {
        return false;
    }

    @Override
    public Optional<RoleLease> roleLease(String role) {
        return Optional.empty();
    }

    @Override
    public Map<String, RoleGrant> roleAssignments() {
        return Map.of();
    }

    @Override
    public Role role() {
        return Role.FOLLOWER;
    }

    @Override
    public long term() {
        return 0;
    }

    @Override
    public Optional<String> leaderId() {
        return Optional.empty();
    }

    @Override
    public Optional<String> leaderUrl() {
        return Optional.empty();
    }

    @Override
    public Optional<LeaderLease> lease() {
        return Optional.empty();
    }

    @Override
    public long fencingToken() {
        return 0;
    }

    /** Empty at once: no leader can appear, so waiting for one would only delay the caller. */
    @Override
    public Optional<String> awaitLeader(Duration timeout) {
        return Optional.empty();
    }

    @Override
    public CompletableFuture<Void> transferLeadership(String nodeId) {
        return CompletableFuture.failedFuture(RaftDisabled.refusal());
    }

    @Override
    public CompletableFuture<String> stepDown() {
        return CompletableFuture.failedFuture(RaftDisabled.refusal());
    }

    @Override
    public void addListener(LeadershipListener listener) {}

    @Override
    public void removeListener(LeadershipListener listener) {}
}
