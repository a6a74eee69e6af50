package io.raftboot.samples.scheduler;

import io.raftboot.spring.annotation.LeaderOnly;
import io.raftboot.spring.leadership.LeadershipService;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Leader-only work on named roles (issue 16): four jobs, each run every 100 ms by the one node
 * that holds its role, so the work spreads over the nodes instead of piling up on the Raft leader
 * (which keeps running {@link LeaderJob}). Each run is recorded with the role's fencing token, the
 * log index of the grant: a real job would send it along with its side effects so that the
 * receiver rejects the writes of a former holder.
 */
@Component
public class RoleJobs {

    private final LeadershipService leadership;
    private final RoleJobLedger ledger;

    public RoleJobs(LeadershipService leadership, RoleJobLedger ledger) {
        this.leadership = leadership;
        this.ledger = ledger;
    }

    @LeaderOnly(role = SampleRoles.BILLING)
    @Scheduled(fixedRate = 100)
    public void billing() {
        run(SampleRoles.BILLING);
    }

    @LeaderOnly(role = SampleRoles.REPORTS)
    @Scheduled(fixedRate = 100)
    public void reports() {
        run(SampleRoles.REPORTS);
    }

    @LeaderOnly(role = SampleRoles.CLEANUP)
    @Scheduled(fixedRate = 100)
    public void cleanup() {
        run(SampleRoles.CLEANUP);
    }

    @LeaderOnly(role = SampleRoles.DIGEST)
    @Scheduled(fixedRate = 100)
    public void digest() {
        run(SampleRoles.DIGEST);
    }

    /**
     * Like {@link LeaderJob#run()}: the token comes from the atomic {@link
     * LeadershipService#roleLease(String)} read, and the hold is read again after the clock, so a
     * recorded instant is one at which this node surely held the role with that token.
     */
    private void run(String role) {
        leadership.roleLease(role).ifPresent(lease -> {
            long startedAtMillis = System.currentTimeMillis();
            if (leadership
                    .roleLease(role)
                    .filter(again -> again.token() == lease.token())
                    .isPresent()) {
                ledger.record(role, lease.fencingToken(), startedAtMillis);
            }
        });
    }
}
