package io.raftboot.spring.actuator;

import io.raftboot.core.loop.RaftLoop;
import io.raftboot.core.loop.RaftStatus;
import io.raftboot.spring.leadership.LeadershipTracker;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code raft} health, free of Spring Boot's health API, which moved between Boot 3
 * ({@code org.springframework.boot.actuate.health}) and Boot 4
 * ({@code org.springframework.boot.health.contributor}): each line's indicator only adapts it.
 * UP while a working leader is known (a follower hears one; a leader holds its lease, that is,
 * has quorum contact), also UP during an election shorter than
 * {@code raft.health.leaderless-grace}; DOWN when no leader has been known for longer, or when the
 * node halted. Being a follower is healthy: readiness does not depend on leading.
 */
public final class RaftHealth {

    /** @param details in the order they are shown */
    public record Result(boolean up, Map<String, Object> details) {}

    private final RaftLoop loop;
    private final LeadershipTracker tracker;
    private final Duration grace;

    public RaftHealth(RaftLoop loop, LeadershipTracker tracker, Duration grace) {
        this.loop = loop;
        this.tracker = tracker;
        this.grace = grace;
    }

    public Result check() {
        RaftStatus s = loop.status();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("role", s.role().name());
        details.put("term", s.term());
        details.put("leader", s.leaderId() == null ? "unknown" : s.leaderId());
        if (loop.haltCause().isPresent()) {
            details.put("halted", String.valueOf(loop.haltCause().get()));
            return new Result(false, details);
        }
        long leaderless = tracker.leaderlessMillis();
        if (leaderless == 0) {
            return new Result(true, details);
        }
        details.put("leaderlessForMillis", leaderless);
        if (leaderless <= grace.toMillis()) {
            return new Result(true, details);
        }
        details.put(
                "reason",
                "no leader with quorum contact for more than raft.health.leaderless-grace (" + grace.toMillis()
                        + " ms): is a majority of the voters up and reachable?");
        return new Result(false, details);
    }
}
