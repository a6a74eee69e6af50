package io.raftboot.spring.actuator;

import io.raftboot.spring.leadership.LeadershipService;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.lang.Nullable;

/**
 * {@code /actuator/raft}. Read: this node's {@link RaftStatusView}. Write (POST, JSON body):
 * {@code {"target": "n2"}} transfers leadership to n2; an empty body (or no target) makes the
 * leader step down in favour of the most up-to-date voter. Answers after the handover or after
 * the timeout.
 */
@Endpoint(id = "raft")
public class RaftEndpoint {

    private final RaftStatusReporter reporter;
    private final LeadershipService leadership;
    private final Duration timeout;

    public RaftEndpoint(RaftStatusReporter reporter, LeadershipService leadership, Duration timeout) {
        this.reporter = reporter;
        this.leadership = leadership;
        this.timeout = timeout;
    }

    @ReadOperation
    public RaftStatusView status() {
        return reporter.status();
    }

    @WriteOperation
    public Map<String, Object> transfer(@Nullable String target) {
        Map<String, Object> result = new LinkedHashMap<>();
        boolean stepDown = target == null || target.isBlank();
        result.put("action", stepDown ? "step-down" : "transfer");
        if (!stepDown) {
            result.put("target", target);
        }
        CompletableFuture<?> done = stepDown ? leadership.stepDown() : leadership.transferLeadership(target.trim());
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            result.put("ok", true);
        } catch (ExecutionException e) {
            result.put("ok", false);
            result.put(
                    "error", e.getCause() == null ? e.toString() : e.getCause().getMessage());
        } catch (TimeoutException e) {
            result.put("ok", false);
            result.put("error", "leadership did not move within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.put("ok", false);
            result.put("error", "interrupted");
        }
        result.put("leaderId", leadership.leaderId().orElse(null));
        result.put("term", leadership.term());
        return result;
    }
}
