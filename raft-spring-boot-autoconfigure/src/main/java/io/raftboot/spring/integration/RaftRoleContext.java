package io.raftboot.spring.integration;

import io.raftboot.spring.leadership.LeadershipService;
import io.raftboot.spring.roles.RoleOffers;
import org.springframework.integration.leader.Context;

/**
 * Spring Integration's leadership {@link Context} for a named role (issue 16): {@link #isLeader()}
 * is {@code LeadershipService.isLeader(role)}; {@link #yield()} withdraws this node's offer of the
 * role, so the leader moves it to another node that offers it, and offers it again after two
 * election timeouts (the role comes back here if no other node offers it).
 */
public class RaftRoleContext implements Context {

    private final LeadershipService leadership;
    private final RoleOffers offers;
    private final String role;

    public RaftRoleContext(LeadershipService leadership, RoleOffers offers, String role) {
        this.leadership = leadership;
        this.offers = offers;
        this.role = role;
    }

    @Override
    public boolean isLeader() {
        return leadership.isLeader(role);
    }

    @Override
    public void yield() {
        offers.yield(role);
    }

    @Override
    public String getRole() {
        return role;
    }

    @Override
    public String toString() {
        return "RaftRoleContext[role=" + role + ", node=" + leadership.nodeId() + ", leader=" + isLeader() + "]";
    }
}
