package io.raftboot.spring.leadership;

import io.raftboot.core.loop.LeaderLease;
import io.raftboot.core.loop.RaftLoop;
import io.raftboot.core.loop.RaftStatus;
import io.raftboot.core.loop.RoleLease;
import io.raftboot.core.node.Role;
import io.raftboot.core.node.RoleGrant;
import io.raftboot.spring.cluster.ClusterSettings;
import io.raftboot.spring.cluster.PeerAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@link LeadershipService} over the node's {@link RaftLoop}. */
public class RaftLeadershipService implements LeadershipService {

    private final RaftLoop loop;
    private final ClusterSettings settings;
    private final LeadershipTracker tracker;

    public RaftLeadershipService(RaftLoop loop, ClusterSettings settings, LeadershipTracker tracker) {
        this.loop = loop;
        this.settings = settings;
        this.tracker = tracker;
    }

    @Override
    public String nodeId() {
        return settings.nodeId();
    }

    @Override
    public boolean isLeader() {
        return loop.holdsLease();
    }

    @Override
    public boolean isLeader(String role) {
        return role.isEmpty() ? isLeader() : loop.status().holdsRole(role);
    }

    @Override
    public Optional<RoleLease> roleLease(String role) {
        if (role.isEmpty()) {
            throw new IllegalArgumentException("the empty role is the Raft leader's: read lease() instead");
        }
        return loop.status().roleLease(role);
    }

    @Override
    public CompletableFuture<Void> moveRole(String role, String target) {
        return loop.moveRole(role, target);
    }

    @Override
    public Map<String, RoleGrant> roleAssignments() {
        return loop.status().membership().roles();
    }

    @Override
    public Role role() {
        return loop.status().role();
    }

    @Override
    public long term() {
        return loop.status().term();
    }

    @Override
    public Optional<String> leaderId() {
        return Optional.ofNullable(loop.status().leaderId());
    }

    @Override
    public Optional<String> leaderUrl() {
        return leaderId().map(settings::addressOf).map(PeerAddress::toString);
    }

    @Override
    public Optional<LeaderLease> lease() {
        return loop.status().lease();
    }

    @Override
    public long fencingToken() {
        return loop.status().term();
    }

    @Override
    public Optional<String> awaitLeader(Duration timeout) {
        RaftStatus s = loop.status();
        if (s.leaderId() != null) {
            return Optional.of(s.leaderId());
        }
        CompletableFuture<String> known = tracker.whenLeaderKnown();
        try {
            return Optional.of(known.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return Optional.ofNullable(loop.status().leaderId());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.empty();
        } finally {
            known.cancel(false);
        }
    }

    @Override
    public CompletableFuture<Void> transferLeadership(String nodeId) {
        return loop.transferLeadership(nodeId);
    }

    @Override
    public CompletableFuture<String> stepDown() {
        return loop.stepDown();
    }

    @Override
    public void addListener(LeadershipListener listener) {
        tracker.addListener(listener);
    }

    @Override
    public void removeListener(LeadershipListener listener) {
        tracker.removeListener(listener);
    }

    @Override
    public String toString() {
        return "LeadershipService[" + loop + "]";
    }
}
