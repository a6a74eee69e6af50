package io.raftboot.consumer;

import io.raftboot.core.store.ConfigResult;
import io.raftboot.spring.config.ReplicatedConfig;
import io.raftboot.spring.leadership.LeadershipService;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code PUT /config/{key}} (body: the value as text) writes through Raft from any node;
 * {@code GET /config/{key}} reads this node's copy (404 if absent); {@code GET /jobs} says how
 * often the leader-only job ran here, per term. Plain maps, so no Jackson type of ours is involved.
 */
@RestController
public class ConsumerController {

    private final ReplicatedConfig config;
    private final LeadershipService leadership;
    private final JobRuns runs;

    public ConsumerController(ReplicatedConfig config, LeadershipService leadership, JobRuns runs) {
        this.config = config;
        this.leadership = leadership;
        this.runs = runs;
    }

    @PutMapping("/config/{key}")
    public Map<String, Object> put(@PathVariable String key, @RequestBody String value) throws Exception {
        ConfigResult result = config.put(key, value).get(10, TimeUnit.SECONDS);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", key);
        body.put("outcome", result.outcome().name());
        body.put("version", result.newVersion());
        return body;
    }

    @GetMapping("/config/{key}")
    public ResponseEntity<Map<String, Object>> get(@PathVariable String key) {
        return config.get(key)
                .map(value -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("key", key);
                    body.put("value", value);
                    return ResponseEntity.ok(body);
                })
                .orElseGet(() -> ResponseEntity.notFound().build());
    }

    @GetMapping("/jobs")
    public Map<String, Object> jobs() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("nodeId", leadership.nodeId());
        body.put("runs", runs.total());
        Map<String, Long> byTerm = new LinkedHashMap<>();
        runs.byTerm().forEach((term, count) -> byTerm.put(String.valueOf(term), count));
        body.put("runsByTerm", byTerm);
        return body;
    }
}
