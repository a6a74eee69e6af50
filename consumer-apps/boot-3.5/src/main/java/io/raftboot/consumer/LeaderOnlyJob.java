package io.raftboot.consumer;

import io.raftboot.spring.annotation.LeaderOnly;
import io.raftboot.spring.leadership.LeadershipService;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Every 100 ms on the leader only. {@code @LeaderOnly} skips the call on the other nodes; the
 * term is read with the lease in one call, so a run is recorded under the term that let it in.
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
        leadership.lease().ifPresent(lease -> runs.record(lease.term()));
    }
}
