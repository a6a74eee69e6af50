package io.raftboot.spring.config;

import io.raftboot.core.client.ClientSession;
import io.raftboot.core.client.ForwardOutcome;
import io.raftboot.core.client.ProposalOutcomes;
import io.raftboot.core.client.WriteFate;
import io.raftboot.core.loop.RaftLoop;
import io.raftboot.core.loop.RaftStatus;
import io.raftboot.core.store.ConfigCommand;
import io.raftboot.core.store.ConfigLimitExceededException;
import io.raftboot.core.store.ConfigResult;
import io.raftboot.core.store.ConfigStore;
import io.raftboot.core.store.SessionCommand;
import io.raftboot.spring.cluster.ClusterSettings;
import io.raftboot.spring.leadership.NoLeaderException;
import io.raftboot.spring.support.AppliedStateWaiter;
import io.raftboot.spring.support.RaftExecutors;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exactly-once write path of {@link RaftReplicatedConfig} (Raft thesis §6.3). This node opens
 * one client session through the log, numbers every write in it, and sends each write, with its
 * number, to the leader until an answer arrives or {@code raft.write-timeout} passes: after any
 * outcome, known or not, through leader changes and restarts of the leader. The store applies
 * each number once and answers a retry with the first result, so retrying is always safe.
 *
 * <p>The session lives as long as this process: after a restart a node opens a new one, and a
 * write the old process had in flight is applied once or never, unseen by anyone.
 */
final class SessionWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SessionWriter.class);

    private final RaftLoop loop;
    private final ConfigStore store;
    private final ClusterSettings settings;
    private final LeaderRoute route;
    private final RaftExecutors executors;
    private final AppliedStateWaiter waiter;
    private final WriteObserver observer;
    private final long retryNanos;
    private final ClientSession session = new ClientSession();
    /** The opening of a session under way, if any (guarded by {@code this}). */
    private CompletableFuture<Long> opening;
    /** Writes not answered yet: failed on {@link #close()} so that no caller waits forever. */
    private final Set<Write> unanswered = ConcurrentHashMap.newKeySet();
    /** Ends attempts that wait on a leader this node no longer follows, so they are retried at the new one. */
    private final LeaderFollowingAttempts following;
    /**
     * A write gives up before its deadline once this node has known no leader for this long: five
     * election timeouts, longer than an election takes even at a round trip of an election
     * timeout, so writes still ride through elections; a node cut off from the majority fails
     * them after this instead of after raft.write-timeout.
     */
    private final long leaderlessGiveUpNanos;

    SessionWriter(
            RaftLoop loop,
            ConfigStore store,
            ClusterSettings settings,
            LeaderRoute route,
            RaftExecutors executors,
            AppliedStateWaiter waiter,
            WriteObserver observer) {
        this.loop = loop;
        this.store = store;
        this.settings = settings;
        this.route = route;
        this.executors = executors;
        this.waiter = waiter;
        this.observer = observer;
        this.retryNanos = settings.heartbeatInterval().toNanos();
        this.following = new LeaderFollowingAttempts(loop);
        this.leaderlessGiveUpNanos = settings.electionTimeout().toNanos() * LEADERLESS_GIVE_UP_ELECTION_TIMEOUTS;
    }

    static final int LEADERLESS_GIVE_UP_ELECTION_TIMEOUTS = 5;

    /** Whether this node has known no leader for so long that waiting out a write's deadline is pointless. */
    private boolean cutOff() {
        return following.leaderlessNanos() >= leaderlessGiveUpNanos;
    }

    private String cutOffProblem() {
        return "node '" + settings.nodeId() + "' has known no leader for "
                + following.leaderlessNanos() / 1_000_000 + " ms (more than "
                + LEADERLESS_GIVE_UP_ELECTION_TIMEOUTS + " election timeouts): it is cut off from a majority,"
                + " or the cluster has none";
    }

    /** One attempt at the leader, ended early (outcome unknown) when the leader changes meanwhile. */
    private CompletableFuture<ForwardOutcome> attemptAtLeader(byte[] bytes, long remainingNanos) {
        RaftStatus sentUnder = loop.status();
        return following.follow(sentUnder, route.write(bytes, Duration.ofNanos(remainingNanos)));
    }

    CompletableFuture<ConfigResult> write(ConfigCommand command) {
        try {
            store.validate(command);
        } catch (ConfigLimitExceededException e) {
            return CompletableFuture.failedFuture(new ConfigValueTooLargeException(
                    e.getMessage() + " (raft.max-value-size; the same limit must be set on every node)"));
        }
        if (session.full(ConfigStore.DEFAULT_MAX_RESULTS_PER_SESSION)) {
            return CompletableFuture.failedFuture(new ConfigWriteException(
                    "node '" + settings.nodeId() + "' has "
                            + ConfigStore.DEFAULT_MAX_RESULTS_PER_SESSION
                            + " writes in flight since its oldest unanswered one;"
                            + " nothing was written. Wait for earlier writes to complete",
                    false,
                    null));
        }
        long start = System.nanoTime();
        Write write = new Write(command, start, start + settings.writeTimeout().toNanos());
        unanswered.add(write);
        write.result.whenComplete((r, e) -> unanswered.remove(write));
        write.next();
        return write.result;
    }

    /**
     * Fails every write still waiting (this node is shutting down, its timer stops), with the
     * outcome unknown when an attempt may have reached a log.
     */
    @Override
    public void close() {
        following.close();
        for (Write write : unanswered) {
            write.fail("node '" + settings.nodeId() + "' is shutting down", null);
        }
        CompletableFuture<Long> pending;
        synchronized (this) {
            pending = opening;
        }
        if (pending != null) {
            pending.completeExceptionally(new ConfigWriteException(
                    "node '" + settings.nodeId() + "' is shutting down;" + " nothing was written", false, null));
        }
    }

    /** One write, from its first attempt to its answer. Runs on the timer thread after the first attempt. */
    private final class Write {
        final ConfigCommand command;
        final long start;
        final long deadline;
        final CompletableFuture<ConfigResult> result = new CompletableFuture<>();
        /** The write path's rules (in the core, where the simulation follows them too). */
        final WriteFate fate = new WriteFate();

        ClientSession.Ticket ticket;
        /** An attempt was sent and its outcome is not known yet. */
        volatile boolean attemptPending;

        Write(ConfigCommand command, long start, long deadline) {
            this.command = command;
            this.start = start;
            this.deadline = deadline;
        }

        /** The next attempt; any exception fails the write instead of leaving its future waiting forever. */
        void next() {
            try {
                attempt();
            } catch (RuntimeException e) {
                fail("the write of key '" + command.key() + "' failed: " + e, e);
            }
        }

        private void attempt() {
            if (result.isDone()) {
                return;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                decide(fate.onDeadline());
                return;
            }
            if (cutOff()) {
                decide(fate.onCutOff(cutOffProblem()));
                return;
            }
            if (ticket == null) {
                sessionId(deadline)
                        .whenCompleteAsync(
                                (id, error) -> {
                                    if (error != null) {
                                        result.completeExceptionally(ProposalOutcomes.unwrap(error));
                                    } else {
                                        // Null when the session expired meanwhile (another write learnt it): open the
                                        // next one.
                                        ticket = session.tryBegin();
                                        next();
                                    }
                                },
                                executors.timer());
                return;
            }
            byte[] bytes = store.encode(new SessionCommand.Write(
                    ticket.sessionId(), ticket.sequence(), session.lowestUnacknowledged(ticket), command));
            attemptPending = true;
            attemptAtLeader(bytes, remaining)
                    .whenCompleteAsync(
                            (outcome, error) -> {
                                attemptPending = false;
                                try {
                                    if (outcome instanceof ForwardOutcome.Applied applied
                                            && applied.result().outcome() == ConfigResult.Outcome.SESSION_EXPIRED) {
                                        session.expired(ticket.sessionId());
                                    }
                                    decide(fate.onOutcome(
                                            outcome != null
                                                    ? outcome
                                                    : new ForwardOutcome.OutcomeUnknown(String.valueOf(error))));
                                } catch (RuntimeException e) {
                                    fail("the write of key '" + command.key() + "' failed: " + e, e);
                                }
                            },
                            executors.timer());
        }

        void decide(WriteFate.Decision decision) {
            if (decision instanceof WriteFate.Retry) {
                retryLater(this::next, result, fate.mayHaveApplied());
            } else if (decision instanceof WriteFate.Renumber) {
                ticket = null;
                next();
            } else if (decision instanceof WriteFate.Answered answered) {
                session.finish(ticket);
                ConfigResult r = answered.result();
                // Wait, until the write's deadline at most, for this node to apply the write too (it may have
                // been forwarded): read-your-writes when it gets there in time, not a promise (ReplicatedConfig).
                waiter.await(() -> store.configVersion() >= r.configVersion(), deadline, null)
                        .whenComplete((v, e) -> committed(r));
            } else if (decision instanceof WriteFate.Refused refused) {
                session.finish(ticket);
                result.completeExceptionally(new ConfigWriteException(
                        "the write of key '" + command.key() + "' was refused: "
                                + refused.reason()
                                + (refused.outcomeUnknown()
                                        ? "; an earlier attempt may have reached the log: it"
                                                + " is applied once or never"
                                        : "; nothing was written"),
                        refused.outcomeUnknown(),
                        null));
            } else if (decision instanceof WriteFate.GiveUp giveUp) {
                if (ticket != null) {
                    session.finish(ticket);
                }
                result.completeExceptionally(
                        giveUp.outcomeUnknown()
                                ? new ConfigWriteException(
                                        "the write of key '" + command.key() + "' ended: " + giveUp.reason()
                                                + " (raft.write-timeout "
                                                + settings.writeTimeout().toMillis() + " ms); an attempt may have"
                                                + " reached the log: it is applied once or never. Read the key to find out",
                                        true,
                                        null)
                                : noLeader("write of key '" + command.key() + "'", fate.lastProblem()));
            }
        }

        /** Fails the write, with the outcome unknown when an attempt may have reached a log. */
        void fail(String why, Throwable cause) {
            boolean unknown = fate.mayHaveApplied() || attemptPending;
            if (ticket != null) {
                session.finish(ticket);
            }
            result.completeExceptionally(new ConfigWriteException(
                    why
                            + (unknown
                                    ? "; an attempt may have reached the log: it is applied once or never"
                                    : "; nothing was written"),
                    unknown,
                    cause));
        }

        void committed(ConfigResult r) {
            if (r.outcome() == ConfigResult.Outcome.STORE_FULL) {
                // Committed but refused by every replica alike (the key limit travels in the command).
                result.completeExceptionally(new ConfigStoreFullException(r.key(), store.maxKeys()));
                return;
            }
            if (r.applied()) {
                try {
                    observer.committed(Duration.ofNanos(System.nanoTime() - start));
                } catch (RuntimeException e) {
                    LOG.debug("WriteObserver failed: {}", e.toString());
                }
            }
            result.complete(r);
        }
    }

    /** The open session's id; opens one (through the log, like a write) when there is none. */
    private synchronized CompletableFuture<Long> sessionId(long deadline) {
        long id = session.id();
        if (id != 0) {
            return CompletableFuture.completedFuture(id);
        }
        if (opening == null || opening.isDone()) {
            opening = new CompletableFuture<>();
            openAttempt(deadline, opening, "no attempt answered");
        }
        return opening;
    }

    private void openAttempt(long deadline, CompletableFuture<Long> opened, String lastProblem) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            opened.completeExceptionally(noLeader("opening of this node's client session", lastProblem));
            return;
        }
        if (cutOff()) {
            opened.completeExceptionally(noLeader("opening of this node's client session", cutOffProblem()));
            return;
        }
        // An unknown outcome may leave a session opened and unused: harmless, it expires as the idlest.
        CompletableFuture<ForwardOutcome> attempt;
        try {
            attempt = attemptAtLeader(store.encodeOpenSession(), remaining);
        } catch (RuntimeException e) {
            opened.completeExceptionally(new ConfigWriteException(
                    "node '" + settings.nodeId() + "' could not open its" + " client session: " + e
                            + "; nothing was written",
                    false,
                    e));
            return;
        }
        attempt.whenCompleteAsync(
                (outcome, error) -> {
                    if (outcome instanceof ForwardOutcome.Applied applied
                            && applied.result().outcome() == ConfigResult.Outcome.SESSION_OPENED) {
                        session.opened(applied.result().modIndex());
                        LOG.debug(
                                "node {}: client session {} opened",
                                settings.nodeId(),
                                applied.result().modIndex());
                        opened.complete(applied.result().modIndex());
                    } else if (outcome instanceof ForwardOutcome.Rejected rejected) {
                        opened.completeExceptionally(new ConfigWriteException(
                                "node '" + settings.nodeId() + "' could not open its" + " client session: "
                                        + rejected.reason() + "; nothing was written",
                                false,
                                null));
                    } else if (outcome instanceof ForwardOutcome.Applied applied) {
                        // A leader that applies the opening as something else runs an earlier release.
                        opened.completeExceptionally(new ConfigWriteException(
                                "the leader answered the opening of node '"
                                        + settings.nodeId() + "''s client session with "
                                        + applied.result().outcome() + ": it runs a release"
                                        + " without client sessions; upgrade every node (docs/operations.md). Nothing was written",
                                false,
                                null));
                    } else {
                        retryLater(() -> openAttempt(deadline, opened, String.valueOf(outcome)), opened, false);
                    }
                },
                executors.timer());
    }

    private <T> void retryLater(Runnable attempt, CompletableFuture<T> result, boolean mayHaveApplied) {
        try {
            executors.timer().schedule(attempt, retryNanos, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            result.completeExceptionally(new ConfigWriteException(
                    "node '" + settings.nodeId() + "' is shutting down"
                            + (mayHaveApplied
                                    ? "; the write may have reached the log: it is applied once or never"
                                    : "; nothing was written"),
                    mayHaveApplied,
                    e));
        }
    }

    private NoLeaderException noLeader(String what, String lastProblem) {
        RaftStatus s = loop.status();
        return new NoLeaderException("no leader accepted the " + what + " within raft.write-timeout ("
                + settings.writeTimeout().toMillis() + " ms); nothing was written. This node is " + s.role()
                + " in term "
                + s.term()
                + (s.leaderId() == null ? " and knows no leader" : " and last knew leader '" + s.leaderId() + "'")
                + "; last answer: " + lastProblem + ". Check that a majority of raft.peers " + settings.voters()
                + " is running and reachable.");
    }
}
