package io.raftboot.samples.scheduler;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * What the role jobs ({@link RoleJobs}) did on this node since it started: one {@link JobLedger}
 * per role, keyed by the role's fencing token (the log index of the grant) where the leader's job
 * keys by term. Kept in memory: a restarted node starts over.
 */
@Component
public class RoleJobLedger {

    private final Map<String, JobLedger> byRole = new LinkedHashMap<>();

    public RoleJobLedger() {
        // Every role present from the start, so /jobs lists the roles this node never ran too.
        SampleRoles.ALL.forEach(role -> byRole.put(role, new JobLedger()));
    }

    public void record(String role, long token, long atMillis) {
        ledger(role).record(token, atMillis);
    }

    /** The runs of one role on this node. */
    public JobLedger ledger(String role) {
        JobLedger ledger = byRole.get(role);
        if (ledger == null) {
            throw new IllegalArgumentException(
                    "no role '" + role + "' in the sample; its roles are " + SampleRoles.ALL);
        }
        return ledger;
    }
}
