package io.raftboot.spring.actuator;

import io.raftboot.core.loop.RaftLoop;
import io.raftboot.core.loop.RaftStatus;
import io.raftboot.spring.leadership.LeadershipTracker;
import java.time.Duration;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * The {@code raft} health: UP while a working leader is known (a follower hears one; a leader
 * holds its lease, that is, has quorum contact), also UP during an election shorter than
 * {@code raft.health.leaderless-grace}; DOWN when no leader has been known for longer, or when
 * the node halted. Being a follower is healthy: readiness does not depend on leading.
 */
public class RaftHealthIndicator extends AbstractHealthIndicator {

    private final RaftLoop loop;
    private final LeadershipTracker tracker;
    private final Duration grace;

    public RaftHealthIndicator(RaftLoop loop, LeadershipTracker tracker, Duration grace) {
        super("Raft health check failed");
        this.loop = loop;
        this.tracker = tracker;
        this.grace = grace;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        RaftStatus s = loop.status();
        builder.withDetail("role", s.role().name())
                .withDetail("term", s.term())
                .withDetail("leader", s.leaderId() == null ? "unknown" : s.leaderId());
        if (loop.haltCause().isPresent()) {
            builder.down().withDetail("halted", String.valueOf(loop.haltCause().get()));
            return;
        }
        long leaderless = tracker.leaderlessMillis();
        if (leaderless == 0) {
            builder.up();
        } else if (leaderless <= grace.toMillis()) {
            builder.up().withDetail("leaderlessForMillis", leaderless);
        } else {
            builder.down()
                    .withDetail("leaderlessForMillis", leaderless)
                    .withDetail(
                            "reason",
                            "no leader with quorum contact for more than raft.health.leaderless-grace ("
                                    + grace.toMillis() + " ms): is a majority of the voters up and reachable?");
        }
    }
}
