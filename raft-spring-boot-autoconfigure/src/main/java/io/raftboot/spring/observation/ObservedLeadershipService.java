package io.raftboot.spring.observation;

import io.micrometer.observation.ObservationRegistry;
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

/** {@link LeadershipService} whose transfers and step-downs are {@value RaftObservations#TRANSFER} observations. */
public class ObservedLeadershipService implements LeadershipService {

    private final LeadershipService delegate;
    private final ObservationRegistry registry;

    public ObservedLeadershipService(LeadershipService delegate, ObservationRegistry registry) {
        this.delegate = delegate;
        this.registry = registry;
    }

    @Override
    public CompletableFuture<Void> transferLeadership(String nodeId) {
        return RaftObservations.observe(
                RaftObservations.of(RaftObservations.TRANSFER, registry)
                        .lowCardinalityKeyValue("raft.node", delegate.nodeId())
                        .lowCardinalityKeyValue("kind", "transfer")
                        .highCardinalityKeyValue("raft.target", String.valueOf(nodeId)),
                () -> delegate.transferLeadership(nodeId));
    }

    @Override
    public CompletableFuture<String> stepDown() {
        return RaftObservations.observe(
                RaftObservations.of(RaftObservations.TRANSFER, registry)
                        .lowCardinalityKeyValue("raft.node", delegate.nodeId())
                        .lowCardinalityKeyValue("kind", "step-down"),
                delegate::stepDown);
    }

    @Override
    public String nodeId() {
        return delegate.nodeId();
    }

    @Override
    public boolean isLeader() {
        return delegate.isLeader();
    }

    @Override
    public boolean isLeader(String role) {
        return delegate.isLeader(role);
    }

    @Override
    public Optional<RoleLease> roleLease(String role) {
        return delegate.roleLease(role);
    }

    @Override
    public CompletableFuture<Void> moveRole(String role, String target) {
        return delegate.moveRole(role, target);
    }

    @Override
    public Map<String, RoleGrant> roleAssignments() {
        return delegate.roleAssignments();
    }

    @Override
    public Role role() {
        return delegate.role();
    }

    @Override
    public long term() {
        return delegate.term();
    }

    @Override
    public Optional<String> leaderId() {
        return delegate.leaderId();
    }

    @Override
    public Optional<String> leaderUrl() {
        return delegate.leaderUrl();
    }

    @Override
    public Optional<LeaderLease> lease() {
        return delegate.lease();
    }

    @Override
    public long fencingToken() {
        return delegate.fencingToken();
    }

    @Override
    public Optional<String> awaitLeader(Duration timeout) {
        return delegate.awaitLeader(timeout);
    }

    @Override
    public void addListener(LeadershipListener listener) {
        delegate.addListener(listener);
    }

    @Override
    public void removeListener(LeadershipListener listener) {
        delegate.removeListener(listener);
    }
}
