package io.raftboot.spring.integration;

import io.raftboot.spring.leadership.LeadershipService;
import org.springframework.integration.leader.Context;

/**
 * Spring Integration's leadership {@link Context} backed by Raft: {@link #yield()} hands
 * leadership to the most up-to-date other voter.
 */
public class RaftLeaderContext implements Context {

    private final LeadershipService leadership;
    private final String role;

    public RaftLeaderContext(LeadershipService leadership, String role) {
        this.leadership = leadership;
        this.role = role;
    }

    @Override
    public boolean isLeader() {
        return leadership.isLeader();
    }

    @Override
    public void yield() {
        leadership.stepDown();
    }

    @Override
    public String getRole() {
        return role;
    }

    @Override
    public String toString() {
        return "RaftLeaderContext[role=" + role + ", node=" + leadership.nodeId() + ", leader=" + isLeader() + "]";
    }
}
