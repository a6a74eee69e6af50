package io.raftboot.spring.config;

import io.raftboot.core.client.CommandForwarder;
import io.raftboot.core.client.ForwardOutcome;
import io.raftboot.core.loop.RaftLoop;
import io.raftboot.core.loop.RaftStatus;
import io.raftboot.core.node.Role;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One attempt to have the leader run a command: proposed here when this node leads, handed to
 * the leader this node knows through the {@link CommandForwarder} otherwise. Every attempt ends
 * in a {@link ForwardOutcome}, never in an exception, so the callers decide retries on what the
 * outcome means and never on a transport's error codes.
 */
final class LeaderRoute {

    private final RaftLoop loop;
    private final String nodeId;
    private final LeaderCommandHandler local;
    private final Supplier<CommandForwarder> forwarder;

    LeaderRoute(RaftLoop loop, String nodeId, LeaderCommandHandler local, Supplier<CommandForwarder> forwarder) {
        this.loop = loop;
        this.nodeId = nodeId;
        this.local = local;
        this.forwarder = forwarder;
    }

    CompletableFuture<ForwardOutcome> write(byte[] command, Duration timeout) {
        RaftStatus s = loop.status();
        if (s.role() == Role.LEADER) {
            return local.propose(command, timeout); // encoded here with this node's limits: no re-encoding
        }
        return viaLeader(s, true, f -> f.forwardWrite(s.leaderId(), command, timeout));
    }

    CompletableFuture<ForwardOutcome> readIndex(Duration timeout) {
        RaftStatus s = loop.status();
        if (s.role() == Role.LEADER) {
            return local.readIndex(timeout);
        }
        return viaLeader(s, false, f -> f.forwardReadIndex(s.leaderId(), timeout));
    }

    private CompletableFuture<ForwardOutcome> viaLeader(
            RaftStatus s, boolean write, Function<CommandForwarder, CompletableFuture<ForwardOutcome>> call) {
        if (s.leaderId() == null || s.leaderId().equals(nodeId)) {
            return CompletableFuture.completedFuture(new ForwardOutcome.NotLeader(
                    null, "node '" + nodeId + "' is " + s.role() + " in term " + s.term() + " and knows no leader"));
        }
        CommandForwarder f = forwarder.get();
        if (f == null) {
            return CompletableFuture.completedFuture(new ForwardOutcome.Rejected(
                    "node '" + nodeId + "' is not the leader and" + " has no CommandForwarder bean to reach leader '"
                            + s.leaderId() + "' (a custom Transport needs one)"));
        }
        // An implementation should neither throw nor fail the future; if it does, the command may have left.
        CompletableFuture<ForwardOutcome> outcome;
        try {
            outcome = call.apply(f);
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        return outcome.exceptionally(e -> write
                ? new ForwardOutcome.OutcomeUnknown("forwarding to '" + s.leaderId() + "' failed: " + e)
                : new ForwardOutcome.Stopped("forwarding to '" + s.leaderId() + "' failed: " + e));
    }
}
