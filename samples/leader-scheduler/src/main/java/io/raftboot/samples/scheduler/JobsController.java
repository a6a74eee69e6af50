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
 */
@RestController
public class JobsController {

    private final LeadershipService leadership;
    private final JobLedger ledger;

    public JobsController(LeadershipService leadership, JobLedger ledger) {
        this.leadership = leadership;
        this.ledger = ledger;
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
        return body;
    }
}
