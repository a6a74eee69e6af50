package io.raftboot.spring.actuator;

import io.raftboot.spring.leadership.LeadershipService;
import io.raftboot.spring.membership.MembershipService;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.lang.Nullable;

/**
 * {@code /actuator/raft}. Read: this node's {@link RaftStatusView}. Write (POST, JSON body):
 * {@code {"target": "n2"}} transfers leadership to n2; an empty body (or no target) makes the
 * leader step down in favour of the most up-to-date voter. Answers after the handover or after
 * the timeout. Membership (POST {@code /actuator/raft/{operation}}, on the leader): operations
 * {@code add-voter}, {@code add-learner}, {@code promote}, {@code demote}, {@code remove},
 * {@code change-address}, body {@code {"id": "n4", "address": "10.0.0.4:9090"}} (the address for
 * the adds and change-address only); answers once the change committed ({@code add-voter}: once
 * the member is a voter) or failed. Named roles (on the leader): operation {@code move-role},
 * body {@code {"role": "billing", "id": "n2"}}; answers once {@code n2} holds the role's grant,
 * or after the membership timeout (the move may still complete).
 *
 * <p>The write operations change the cluster, so the endpoint is read-only until an operator
 * opts in with {@code management.endpoint.raft.access=unrestricted} (Spring Boot's endpoint
 * access model); protect them as well, as the sample does with HTTP Basic.
 */
@Endpoint(id = "raft", defaultAccess = Access.READ_ONLY)
public class RaftEndpoint {

    private final RaftStatusReporter reporter;
    private final LeadershipService leadership;
    private final Duration timeout;
    private final MembershipService membership;
    private final Duration membershipTimeout;

    public RaftEndpoint(
            RaftStatusReporter reporter,
            LeadershipService leadership,
            Duration timeout,
            MembershipService membership,
            Duration membershipTimeout) {
        this.reporter = reporter;
        this.leadership = leadership;
        this.timeout = timeout;
        this.membership = membership;
        this.membershipTimeout = membershipTimeout;
    }

    @WriteOperation
    public Map<String, Object> membership(
            @Selector String operation, @Nullable String id, @Nullable String address, @Nullable String role) {
        if ("move-role".equals(operation)) {
            return moveRole(role, id);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("operation", operation);
        result.put("id", id);
        CompletableFuture<Long> change;
        try {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("the body must name the member: {\"id\": \"n4\"}");
            }
            change = switch (operation) {
                case "add-voter" -> membership.addVoter(id.trim(), address);
                case "add-learner" -> membership.addLearner(id.trim(), address);
                case "promote" -> membership.promote(id.trim());
                case "demote" -> membership.demote(id.trim());
                case "remove" -> membership.remove(id.trim());
                case "change-address" -> membership.changeAddress(id.trim(), address);
                default ->
                    throw new IllegalArgumentException("unknown operation '" + operation
                            + "'; use add-voter, add-learner, promote, demote, remove or change-address");
            };
        } catch (RuntimeException e) {
            change = CompletableFuture.failedFuture(e);
        }
        Long index = awaitInto(
                result,
                change,
                membershipTimeout,
                "no answer within " + membershipTimeout.toMillis() + " ms; the change may still happen");
        if (index != null) {
            result.put("membershipIndex", index);
        }
        result.put("members", membership.members());
        return result;
    }

    /** Moves {@code role} to {@code target} and waits, at most the membership timeout, until it holds the grant. */
    private Map<String, Object> moveRole(@Nullable String role, @Nullable String target) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("operation", "move-role");
        result.put("role", role);
        result.put("id", target);
        if (role == null || role.isBlank() || target == null || target.isBlank()) {
            result.put("ok", false);
            result.put("error", "the body must name the role and the member: {\"role\": \"billing\", \"id\": \"n2\"}");
            return result;
        }
        long deadline = System.nanoTime() + membershipTimeout.toNanos();
        String name = role.trim();
        String to = target.trim();
        CompletableFuture<Void> started;
        try {
            started = leadership.moveRole(name, to);
        } catch (RuntimeException e) {
            started = CompletableFuture.failedFuture(e);
        }
        awaitInto(result, started, membershipTimeout, "no answer within " + membershipTimeout.toMillis() + " ms");
        if (Boolean.TRUE.equals(result.get("ok"))) {
            while (!isHolder(name, to) && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(5_000_000); // the move takes a role lease's wait at most
            }
            if (isHolder(name, to)) {
                result.put("token", leadership.roleAssignments().get(name).token());
            } else {
                result.put("ok", false);
                result.put(
                        "error", "not moved within " + membershipTimeout.toMillis() + " ms; the move may still happen");
            }
        }
        return result;
    }

    /**
     * Waits for {@code future}, at most {@code timeout}, and records the outcome in {@code result}
     * ({@code ok}, and {@code error} when not ok). Returns the future's value, or null when not ok.
     */
    private static <T> T awaitInto(
            Map<String, Object> result, CompletableFuture<T> future, Duration timeout, String timeoutError) {
        String error;
        try {
            T value = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            result.put("ok", true);
            return value;
        } catch (ExecutionException e) {
            error = e.getCause() == null ? e.toString() : e.getCause().getMessage();
        } catch (TimeoutException e) {
            error = timeoutError;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        }
        result.put("ok", false);
        result.put("error", error);
        return null;
    }

    private boolean isHolder(String role, String target) {
        var grant = leadership.roleAssignments().get(role);
        return grant != null && grant.holder().equals(target);
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
        awaitInto(result, done, timeout, "leadership did not move within " + timeout.toMillis() + " ms");
        result.put("leaderId", leadership.leaderId().orElse(null));
        result.put("term", leadership.term());
        return result;
    }
}
