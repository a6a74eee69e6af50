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
     * The fencing token is read between two more lease checks: the term can move on between
     * the proxy's check and the read (a vote request of a higher term makes this node a
     * follower of that term), and a term recorded here must be one this node surely led at the
     * recorded instant, since the fault tests compare the runs of all nodes by term and time.
     */
    @LeaderOnly
    @Scheduled(fixedRate = 100)
    public void run() {
        long term = leadership.fencingToken();
        if (!leadership.isLeader()) {
            return;
        }
        long startedAtMillis = System.currentTimeMillis();
        if (!leadership.isLeader() || leadership.fencingToken() != term) {
            return;
        }
        ledger.record(term, startedAtMillis);
    }
}
