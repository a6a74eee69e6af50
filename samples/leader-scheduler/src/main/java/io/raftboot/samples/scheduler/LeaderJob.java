package io.raftboot.samples.scheduler;

import io.raftboot.spring.annotation.LeaderOnly;
import io.raftboot.spring.leadership.LeadershipService;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The leader-only work of the sample: every 100 ms, on the leader only, count a run and note
 * the term it ran in. The term is the fencing token: a real job would pass it along with its
 * side effects (a database row, a message) so that the receiver can reject the writes of a
 * deposed leader.
 */
@Component
public class LeaderJob {

    private final LeadershipService leadership;
    private final JobLedger ledger;

    public LeaderJob(LeadershipService leadership, JobLedger ledger) {
        this.leadership = leadership;
        this.ledger = ledger;
    }

    /**
     * {@code @LeaderOnly} already skips the call unless this node holds a valid leader lease.
     * The fencing token comes from {@link LeadershipService#lease()}, the lease and its term in
     * one read, so it is the term of the lease that let this run in; the lease is read again
     * after the clock is read, since the fault tests compare the runs of all nodes by term and
     * time and a recorded instant must be one this node surely led at.
     */
    @LeaderOnly
    @Scheduled(fixedRate = 100)
    public void run() {
        leadership.lease().ifPresent(lease -> {
            long startedAtMillis = System.currentTimeMillis();
            // Still this lease after the clock was read (a handover may have ended it since)?
            if (leadership.lease().filter(again -> again.term() == lease.term()).isPresent()) {
                ledger.record(lease.fencingToken(), startedAtMillis);
            }
        });
    }
}
