package io.raftboot.samples.scheduler;

import io.raftboot.spring.leadership.LeadershipService;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /jobs}: what the leader-only job did on this node,
 * {@code {"nodeId", "runs", "lastRunTerm", "runTerms": {"<term>": {"runs", "firstRunMillis", "lastRunMillis"}}}}.
 * Comparing {@code runTerms} of all nodes shows that no two of them ran the job in the same term,
 * and that the runs of different terms do not overlap in time.
 *
 * <p>The named roles' jobs ({@link RoleJobs}) are under {@code "roles"}, one entry per role of the
 * sample: {@code {"<role>": {"heldHere", "runs", "lastRunToken", "runTokens": {"<token>": {"runs",
 * "firstRunMillis", "lastRunMillis"}}}}}, keyed by the role's fencing token: the nodes' answers
 * together show which node ran which role's job, and with which grant.
 */
@RestController
public class JobsController {

    private final LeadershipService leadership;
    private final JobLedger ledger;

    private final RoleJobLedger roleLedger;

    public JobsController(LeadershipService leadership, JobLedger ledger, RoleJobLedger roleLedger) {
        this.leadership = leadership;
        this.ledger = ledger;
        this.roleLedger = roleLedger;
    }

    @GetMapping("/jobs")
    public Map<String, Object> jobs() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("nodeId", leadership.nodeId());
        synchronized (ledger) {
            body.put("runs", ledger.runs());
            body.put("lastRunTerm", ledger.lastRunTerm());
            body.put("runTerms", ledger.runTerms());
        }
        Map<String, Object> roles = new LinkedHashMap<>();
        for (String role : SampleRoles.ALL) {
            JobLedger runs = roleLedger.ledger(role);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("heldHere", leadership.isLeader(role));
            synchronized (runs) {
                entry.put("runs", runs.runs());
                entry.put("lastRunToken", runs.lastRunTerm());
                entry.put("runTokens", runs.runTerms());
            }
            roles.put(role, entry);
        }
        body.put("roles", roles);
        return body;
    }
}
