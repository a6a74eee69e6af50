package io.raftboot.core.loop;

import io.raftboot.core.log.LogEntry;
import io.raftboot.core.node.NotLeaderException;
import io.raftboot.core.node.RaftNode;
import io.raftboot.core.node.ReadState;
import io.raftboot.core.node.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * The client requests the loop thread took from its queue and has not answered yet (in the
 * manner of Ratis' {@code PendingRequests}): proposals until their entry is applied, reads until
 * a quorum confirmed them and the state machine caught up (ReadIndex, thesis §6.4), transfers
 * until this node stops leading or their deadline passes. Each kind's failure rules live here:
 * what a proposal's failure says about its entry, which exception a lost read gets.
 */
final class PendingRequests {

    private record PendingProposal(long term, CompletableFuture<Object> future) {}

    private record ConfirmedRead(long index, CompletableFuture<Long> future) {}

    private record PendingTransfer(String target, CompletableFuture<String> future, long deadlineNanos) {}

    private final String nodeId;
    /** Two election timeouts: a transfer not done by then failed. */
    private final int transferTicks;

    private final long transferTimeoutNanos;
    private long nextReadRequestId;
    private final TreeMap<Long, PendingProposal> proposals = new TreeMap<>();
    private final Map<Long, CompletableFuture<Long>> reads = new HashMap<>();
    private final PriorityQueue<ConfirmedRead> confirmedReads =
            new PriorityQueue<>((a, b) -> Long.compare(a.index(), b.index()));
    private final List<PendingTransfer> transfers = new ArrayList<>();

    private final LongSupplier clock;

    PendingRequests(String nodeId, int electionTicks, long tickIntervalNanos, LongSupplier clock) {
        this.nodeId = nodeId;
        this.clock = clock;
        this.transferTicks = 2 * electionTicks;
        this.transferTimeoutNanos = transferTicks * tickIntervalNanos;
    }

    /** Hands a request to the node, keeping its future until the answer is known. */
    void start(Request request, RaftNode node) {
        if (request instanceof Request.Propose p) {
            try {
                long index = node.propose(p.command());
                proposals.put(index, new PendingProposal(node.term(), p.future()));
            } catch (NotLeaderException e) {
                p.future().completeExceptionally(e);
            }
        } else if (request instanceof Request.Read r) {
            long requestId = ++nextReadRequestId;
            try {
                node.readIndex(requestId);
                reads.put(requestId, r.future());
            } catch (NotLeaderException e) {
                r.future().completeExceptionally(e);
            }
        } else if (request instanceof Request.ChangeMembership c) {
            try {
                long index = node.changeMembership(c.change());
                proposals.put(index, new PendingProposal(node.term(), c.future()));
            } catch (NotLeaderException | IllegalStateException | IllegalArgumentException e) {
                c.future().completeExceptionally(e);
            }
        } else if (request instanceof Request.Transfer t) {
            startTransfer(node, t.target(), t.future());
        } else if (request instanceof Request.AllowCampaigns a) {
            node.allowCampaigns(a.allowed());
            a.future().complete(null);
        } else if (request instanceof Request.MoveRole mr) {
            try {
                node.moveRole(mr.role(), mr.target());
                mr.future().complete(null);
            } catch (NotLeaderException | IllegalArgumentException e) {
                mr.future().completeExceptionally(e);
            }
        } else if (request instanceof Request.StepDown s) {
            String target = node.role() == Role.LEADER ? node.stepDown() : null;
            if (target == null) {
                s.future().complete(null);
            } else {
                transfers.add(new PendingTransfer(target, s.future(), clock.getAsLong() + transferTimeoutNanos));
            }
        }
    }

    private void startTransfer(RaftNode node, String target, CompletableFuture<String> future) {
        if (node.role() != Role.LEADER) {
            future.completeExceptionally(
                    new NotLeaderException(nodeId, node.leaderId(), "only the leader can transfer leadership"));
            return;
        }
        if (target.equals(nodeId)) {
            future.complete(target);
            return;
        }
        try {
            node.transferLeadership(target);
        } catch (IllegalArgumentException | NotLeaderException e) {
            future.completeExceptionally(e);
            return;
        }
        transfers.add(new PendingTransfer(target, future, clock.getAsLong() + transferTimeoutNanos));
    }

    /**
     * {@code entry} was applied with {@code result}: its proposal succeeded if the entry is of the
     * term it was proposed in, else a newer leader overwrote it and it was not applied.
     */
    void applied(LogEntry entry, Object result) {
        PendingProposal proposal = proposals.remove(entry.index());
        if (proposal == null) {
            return;
        }
        if (proposal.term() == entry.term()) {
            proposal.future().complete(result);
        } else {
            proposal.future()
                    .completeExceptionally(new LeadershipLostException(
                            "node '" + nodeId
                                    + "': the entry proposed at index " + entry.index() + " in term " + proposal.term()
                                    + " was overwritten by an entry of term " + entry.term()
                                    + " from a newer leader; it was not applied",
                            false));
        }
    }

    /** Fails the proposals up to {@code upToIndex}: their entries are in the log, and may still commit. */
    void failProposals(long upToIndex, String reason) {
        Iterator<PendingProposal> it =
                proposals.headMap(upToIndex, true).values().iterator();
        while (it.hasNext()) {
            it.next().future().completeExceptionally(new LeadershipLostException(reason, true));
            it.remove();
        }
    }

    boolean hasProposals() {
        return !proposals.isEmpty();
    }

    /** The node answered a read: confirmed reads wait for the state machine, lost ones fail. */
    void readAnswered(ReadState read, String leaderId) {
        CompletableFuture<Long> future = reads.remove(read.requestId());
        if (future == null) {
            return;
        }
        if (!read.ok()) {
            future.completeExceptionally(
                    new NotLeaderException(nodeId, leaderId, "it lost leadership before a quorum confirmed the read"));
        } else {
            confirmedReads.add(new ConfirmedRead(read.index(), future));
        }
    }

    /** Completes the confirmed reads the state machine has caught up with. */
    void appliedUpTo(long lastApplied) {
        while (!confirmedReads.isEmpty() && confirmedReads.peek().index() <= lastApplied) {
            ConfirmedRead read = confirmedReads.poll();
            read.future().complete(read.index());
        }
    }

    /**
     * A transfer is done once this node no longer leads; one past its deadline fails. While it
     * runs, each follows the node's current target ({@code transferTarget}, null while a
     * step-down still waits for a caught-up voter), so a step-down completes with the voter it
     * finally chose.
     */
    void checkTransfers(boolean leading, String transferTarget) {
        if (transfers.isEmpty()) {
            return;
        }
        long now = clock.getAsLong();
        ListIterator<PendingTransfer> it = transfers.listIterator();
        while (it.hasNext()) {
            PendingTransfer t = it.next();
            if (leading && transferTarget != null && !transferTarget.equals(t.target())) {
                t = new PendingTransfer(transferTarget, t.future(), t.deadlineNanos());
                it.set(t);
            }
            if (!leading) {
                t.future().complete(t.target());
                it.remove();
            } else if (now - t.deadlineNanos() >= 0) {
                t.future()
                        .completeExceptionally(new TimeoutException("node '" + nodeId + "': leadership transfer to '"
                                + t.target() + "' did not complete within " + transferTicks + " ticks ("
                                + Duration.ofNanos(transferTimeoutNanos).toMillis()
                                + " ms); is it reachable and caught up?"));
                it.remove();
            }
        }
    }

    /**
     * Nanoseconds from {@code now} until the earliest transfer deadline ({@link #checkTransfers}
     * must run then), or {@link Long#MAX_VALUE} when no transfer waits.
     */
    long nanosUntilNextDeadline(long now) {
        long next = Long.MAX_VALUE;
        for (PendingTransfer t : transfers) {
            next = Math.min(next, Math.max(0, t.deadlineNanos() - now));
        }
        return next;
    }

    /**
     * The loop stops: proposals fail with {@code inLog} (their entries are in this node's log,
     * so a new leader may still commit them), everything else with {@code failure}.
     */
    void failAll(Throwable inLog, Throwable failure) {
        for (PendingProposal p : proposals.values()) {
            p.future().completeExceptionally(inLog);
        }
        proposals.clear();
        for (CompletableFuture<Long> f : reads.values()) {
            f.completeExceptionally(failure);
        }
        reads.clear();
        for (ConfirmedRead r : confirmedReads) {
            r.future().completeExceptionally(failure);
        }
        confirmedReads.clear();
        for (PendingTransfer t : transfers) {
            t.future().completeExceptionally(failure);
        }
        transfers.clear();
    }
}
