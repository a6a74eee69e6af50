package io.raftboot.consumer;

import io.raftboot.spring.annotation.LeaderOnly;
import io.raftboot.spring.leadership.LeadershipService;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Every 100 ms on the leader only. The method itself records every call, so that only
 * {@code @LeaderOnly} keeps it from running on the other nodes: that is what run.sh checks.
 */
@Component
public class LeaderOnlyJob {

    private final LeadershipService leadership;
    private final JobRuns runs;

    public LeaderOnlyJob(LeadershipService leadership, JobRuns runs) {
        this.leadership = leadership;
        this.runs = runs;
    }

    @LeaderOnly
    @Scheduled(fixedRate = 100)
    public void run() {
        runs.record(leadership.term());
    }
}
