package io.raftboot.core.node;

import io.raftboot.core.log.EntryType;
import io.raftboot.core.log.LogEntry;
import io.raftboot.core.log.RaftLog;
import io.raftboot.core.message.AppendEntries;
import io.raftboot.core.message.AppendResponse;
import io.raftboot.core.message.SnapshotResponse;
import io.raftboot.core.message.TimeoutNow;
import java.lang.System.Logger.Level;
import java.util.List;

/**
 * Everything a node holds only while it leads, for one term: created when it wins an election,
 * dropped when it steps down, so nothing leader-only outlives the term or needs resetting by
 * hand. Replication to the followers, the heartbeat timer and the sends requested for the next
 * {@link Ready}, commitment (§5.3, §5.4.2), linearizable reads (thesis §6.4), the lease
 * ({@link Lease}) and a leadership transfer under way ({@link Transfer}, thesis §3.10).
 */
final class Leadership {

    private static final System.Logger LOG = System.getLogger(RaftNode.class.getName());
    /** {@link #stepDownByTick} when no step-down waits. */
    private static final long NO_STEP_DOWN = -1;

    private final RaftNode node;
    private final ProtocolSettings settings;
    private final Configurations configs;
    private final RaftLog log;
    /** Numbered from 1 in each term: followers echo the round of the append they answer. */
    private final HeartbeatRounds rounds = new HeartbeatRounds();

    private final Replication replication;
    private final Lease lease;
    /** Who offers which named role, and which role changes hands next (issue 16). */
    private final RoleAssigner roles;

    private Transfer transfer;
    /**
     * A step-down waiting for a voter that holds the whole log ({@link #stepDown}): the tick after
     * which it hands leadership to the most up-to-date voter anyway, or {@link #NO_STEP_DOWN}.
     */
    private long stepDownByTick = NO_STEP_DOWN;

    private int heartbeatElapsed;
    /** A read waits for a heartbeat round: start one in the next Ready. */
    private boolean heartbeatRequested;
    /** New entries to send: append to every follower in the next Ready. */
    private boolean broadcastRequested;
    /** A follower could learn a higher commit index than we told it: tell it in the next Ready. */
    private boolean commitNoticeDue;

    Leadership(RaftNode node, ProtocolSettings settings, Configurations configs, RaftLog log, long brokenPromiseTicks) {
        this.node = node;
        this.settings = settings;
        this.configs = configs;
        this.log = log;
        this.lease = new Lease(settings, node.ticks(), brokenPromiseTicks);
        this.roles = new RoleAssigner(node.id(), node.term(), settings, lease.waitOverTick());
        this.replication = new Replication(node.id(), node.term(), settings, configs, log, node.ticks(), node::send);
    }

    /** §5.4.2 / §8: commit a no-op of our term so earlier entries commit and reads may start. */
    void begin() {
        log.append(LogEntry.noop(log.lastIndex() + 1, node.term()));
        broadcastRequested = true;
        rounds.start(node.ticks());
    }

    void tick() {
        long now = node.ticks();
        if (transfer != null
                && lease.waitOver(now)
                && transfer.tickExpired(settings.electionTicks())
                && abandonTransfer()) {
            return;
        }
        if (stepDownByTick != NO_STEP_DOWN && now >= stepDownByTick) {
            Progress best = replication.mostUpToDateVoter(now);
            stepDownByTick = NO_STEP_DOWN;
            if (best != null) {
                transferTo(best.id);
            }
        }
        // Check-quorum (thesis §6.2): a leader that has not heard from a majority within an
        // election timeout steps down, so a partitioned leader stops acting as one.
        if (settings.checkQuorum()
                && replication.activeVoters(now) < configs.current().quorum()) {
            LOG.log(Level.INFO, "{0}: term {1}: lost contact with a majority, stepping down", node.id(), node.term());
            node.becomeFollower(node.term(), null);
            return;
        }
        if (++heartbeatElapsed >= settings.heartbeatTicks()) {
            heartbeatElapsed = 0;
            broadcastHeartbeat();
            replication.retransmitStalled(node.commitIndex(), rounds.current(), now);
            promoteCaughtUpLearner(now);
        }
        assignRoles(now);
    }

    /** Appends the next role change, if one is due and the configuration may change now. */
    private void assignRoles(long now) {
        if (configurationChangeRefusal() != null) {
            return;
        }
        Membership next =
                roles.next(configs.current(), node.ownRoleCandidacy(), now, log.lastIndex() + 1, this::lastHeard);
        if (next != null) {
            appendConfiguration(next);
        }
    }

    /** See {@link RaftNode#moveRole}. */
    void moveRole(String role, String target) {
        roles.pin(role, target, configs.current(), node.ownRoleCandidacy());
    }

    /** The tick at which {@code member} was last heard in this term (now for this node). */
    private long lastHeard(String member) {
        if (member.equals(node.id())) {
            return node.ticks();
        }
        Progress pr = replication.follower(member);
        return pr == null ? Long.MIN_VALUE / 2 : pr.lastResponseTick;
    }

    /**
     * The append with this follower's role echo: its latest probe and the roles we confirm, only
     * while our lease holds (an echo must prove that we still led after the probe left).
     */
    AppendEntries withRoleEcho(AppendEntries ae) {
        long probe = roles.probeOf(ae.to());
        if (probe == 0 || !leaseHolds()) {
            return ae;
        }
        return ae.withRoleEcho(probe, roles.confirmedFor(ae.to(), configs.current(), node.commitIndex()));
    }

    private boolean leaseHolds() {
        long start = leaseStartTick();
        return start >= 0 && node.ticks() - start < settings.leaseTicks();
    }

    /**
     * Ticks until {@link #tick()} may do something (see {@link RaftNode#ticksUntilNextEvent()}):
     * the next heartbeat, the transfer's timeout, check-quorum's step-down, the end of the wait
     * before a lease may start, or the lease's end. At least 1: the heartbeat always comes.
     */
    long ticksUntilNextEvent() {
        long now = node.ticks();
        long next = settings.heartbeatTicks() - heartbeatElapsed;
        long wait = lease.ticksUntilWaitOver(now);
        if (wait > 0) {
            next = Math.min(next, wait); // a lease may be claimed from then on
        }
        if (stepDownByTick != NO_STEP_DOWN) {
            next = Math.min(next, Math.max(1, stepDownByTick - now));
        }
        if (transfer != null) {
            // Its timer counts only the ticks at which the wait is over.
            next = Math.min(next, Math.max(1, wait) + transfer.ticksLeft(settings.electionTicks()) - 1);
        }
        if (settings.checkQuorum()) {
            long lost = replication.quorumLostTick(now, configs.current().quorum());
            if (lost != Long.MAX_VALUE) {
                next = Math.min(next, lost - now);
            }
        }
        long start = leaseStartTick();
        if (start >= 0 && start + settings.leaseTicks() > now) {
            next = Math.min(next, start + settings.leaseTicks() - now); // the lease ends
        }
        if (configurationChangeRefusal() == null
                && roles.changeDue(configs.current(), node.ownRoleCandidacy(), now + 1, this::lastHeard)) {
            return 1; // an input made a role change due (a commit, an offer): the next tick makes it
        }
        next = Math.min(next, roles.ticksUntilDue(configs.current(), node.ownRoleCandidacy(), now, this::lastHeard));
        return Math.max(1, next);
    }

    /**
     * Appends a configuration change (single-server changes, thesis §4.1). Refused while a
     * transfer runs, before this leader committed an entry of its own term (the fix to the
     * single-server algorithm: without it a change of an earlier term that never committed and
     * ours could both be decided by disjoint majorities), and while another change is not yet
     * committed (one change at a time).
     *
     * @return the log index of the new configuration
     * @throws IllegalStateException when the change must wait; retry it
     * @throws IllegalArgumentException when it can never apply to the current configuration
     */
    long changeMembership(MembershipChange change) {
        if (transfer != null) {
            throw new NotLeaderException(
                    node.id(), transfer.target(), "it is handing leadership to '" + transfer.target() + "'");
        }
        String refusal = configurationChangeRefusal();
        if (refusal != null) {
            throw new IllegalStateException(refusal);
        }
        Membership current = configs.current();
        Membership next = change.applyTo(current);
        if (next.votersChangedFrom(current) > 1) {
            throw new IllegalArgumentException(
                    "a change may add or remove one voter at a time: " + current + " -> " + next);
        }
        roles.revokedWith(current, next, node.ticks(), this::lastHeard); // a removed member's roles
        return appendConfiguration(next);
    }

    /**
     * Why the configuration may not change now, or null: a transfer runs, this leader has not
     * committed an entry of its term yet, or the previous change is not committed (one at a time).
     */
    private String configurationChangeRefusal() {
        long commit = node.commitIndex();
        if (transfer != null) {
            return "node '" + node.id() + "' is handing leadership to '" + transfer.target() + "'";
        }
        if (log.term(commit) != node.term()) {
            return "node '" + node.id() + "' became leader of term " + node.term()
                    + " and has not committed an entry of its term yet; retry the membership change shortly";
        }
        if (configs.changePending(commit)) {
            return "the configuration change at index " + configs.index()
                    + " is not committed yet; one change at a time";
        }
        return null;
    }

    private long appendConfiguration(Membership next) {
        long index = log.lastIndex() + 1;
        log.append(new LogEntry(index, node.term(), EntryType.MEMBERSHIP, MembershipCodec.encode(next)));
        configs.appended(index, next);
        replication.membershipChanged(node.ticks());
        node.configurationChanged();
        broadcastRequested = true;
        return index;
    }

    /**
     * Thesis §4.2.1: a new server joins as a learner and becomes a voter only once its log is
     * close to ours (within one append's worth of entries, and heard from within an election
     * timeout), so adding it does not stall commitment while it catches up. The intent is in
     * the configuration ({@link Membership#joining()}), so a later leader carries it on.
     */
    private void promoteCaughtUpLearner(long now) {
        Membership m = configs.current();
        if (m.joining().isEmpty() || configurationChangeRefusal() != null) {
            return;
        }
        for (String id : m.joining()) {
            Progress pr = replication.follower(id);
            // Heard from, not only created: a new Progress looks fresh, and a learner that never
            // answered (not running, a wrong address) must not become a voter a quorum waits for.
            if (pr != null
                    && pr.heard
                    && log.lastIndex() - pr.match <= settings.maxEntriesPerAppend()
                    && now - pr.lastResponseTick < settings.electionTicks()) {
                LOG.log(
                        Level.INFO,
                        "{0}: term {1}: {2} caught up (match {3} of {4}), promoting it to voter",
                        node.id(),
                        node.term(),
                        id,
                        pr.match,
                        log.lastIndex());
                appendConfiguration(new MembershipChange.Promote(id).applyTo(m));
                return;
            }
        }
    }

    long propose(byte[] command) {
        if (transfer != null) {
            throw new NotLeaderException(
                    node.id(), transfer.target(), "it is handing leadership to '" + transfer.target() + "'");
        }
        long index = log.lastIndex() + 1;
        log.append(new LogEntry(index, node.term(), EntryType.NORMAL, command));
        broadcastRequested = true;
        return index;
    }

    void readIndex(long requestId) {
        if (transfer != null) {
            throw new NotLeaderException(node.id(), transfer.target(), "only the leader serves linearizable reads");
        }
        if (log.term(node.commitIndex()) != node.term()) {
            rounds.awaitOwnTermCommit(requestId);
            return;
        }
        startRead(requestId);
    }

    void transferTo(String target) {
        if (!configs.current().isVoter(target)) {
            throw new IllegalArgumentException("cannot transfer leadership to '" + target + "': it is not a voter of "
                    + configs.current().voters());
        }
        if (target.equals(node.id()) || target.equals(targetOrNull())) {
            return;
        }
        LOG.log(Level.INFO, "{0}: term {1}: transferring leadership to {2}", node.id(), node.term(), target);
        stepDownByTick = NO_STEP_DOWN;
        transfer = new Transfer(target);
        Progress pr = replication.follower(target);
        if (pr.match == log.lastIndex()) {
            maybeSendTimeoutNow(pr);
        } else {
            sendAppend(pr);
        }
    }

    /**
     * Hands leadership to a voter that holds this leader's whole log (thesis §3.10: TimeoutNow goes
     * only to a caught-up target). If the most up-to-date voter does, at once. If none does yet (an
     * entry appended a moment ago, say the stopping node's role withdrawal), this node keeps leading,
     * lease included, and hands over to the first voter that acknowledges the whole log: the one
     * that answers fastest, instead of waiting for a pick made among equals. After two heartbeat
     * intervals without one it hands over to the most up-to-date voter anyway, as a transfer that
     * then catches the target up. Returns the most up-to-date voter now (the target, unless
     * another gets there first: {@link #transferTarget()}), or null when there is none.
     */
    String stepDown() {
        Progress best = replication.mostUpToDateVoter(node.ticks());
        if (best == null) {
            return null;
        }
        if (transfer != null || best.match == log.lastIndex()) {
            transferTo(best.id);
        } else if (stepDownByTick == NO_STEP_DOWN) {
            stepDownByTick = node.ticks() + 2L * settings.heartbeatTicks();
        }
        return best.id;
    }

    /** The target of the transfer under way, or null (none, or a step-down still choosing). */
    String transferTarget() {
        return targetOrNull();
    }

    void onAppendResponse(AppendResponse m) {
        Progress pr = respondent(m.from());
        if (pr == null) {
            return;
        }
        roles.onResponse(m);
        if (m.readSeq() > pr.ackedSeq) {
            pr.ackedSeq = m.readSeq();
            rounds.confirm(replication::echoes, configs.current().quorum(), node.readStateSink());
        }
        if (m.success()) {
            if (pr.maybeUpdate(m.matchIndex(), node.ticks())) {
                if (pr.state == Progress.State.PROBE || pr.state == Progress.State.SNAPSHOT) {
                    pr.becomeReplicate();
                }
                maybeCommit();
                commitNoticeDue |= replication.commitNoticeDue(pr, node.commitIndex());
            }
            if (stepDownByTick != NO_STEP_DOWN && pr.voter && pr.match == log.lastIndex()) {
                transferTo(pr.id); // the first voter to hold the whole log: TimeoutNow goes now
            }
            if (transfer != null
                    && pr.id.equals(transfer.target())
                    && pr.match == log.lastIndex()
                    && !transfer.timeoutNowSent()) {
                maybeSendTimeoutNow(pr);
            }
            sendAppend(pr);
        } else if (m.matchIndex() > pr.match && pr.state != Progress.State.SNAPSHOT) {
            // §5.3: decrement nextIndex and retry; the hint skips a whole conflicting term.
            pr.becomeProbe();
            pr.next = Math.max(pr.match + 1, Math.min(m.matchIndex(), m.rejectHintIndex()));
            sendAppend(pr);
        }
    }

    void onSnapshotResponse(SnapshotResponse m) {
        Progress pr = respondent(m.from());
        if (pr == null) {
            return;
        }
        pr.maybeUpdate(m.matchIndex(), node.ticks());
        pr.becomeReplicate();
        maybeCommit();
        sendAppend(pr);
    }

    /** The follower a response comes from, marked as heard from now; null if it is none of ours. */
    private Progress respondent(String follower) {
        Progress pr = replication.follower(follower);
        if (pr != null) {
            pr.lastResponseTick = node.ticks();
            pr.heard = true;
        }
        return pr;
    }

    /** §5.3 and §5.4.2: commit the highest index stored on a majority, if it is of our term. */
    void maybeCommit() {
        long candidate = replication.quorumMatch(log.stableIndex());
        if (candidate > node.commitIndex() && log.term(candidate) == node.term()) {
            node.commitTo(candidate);
            commitNoticeDue = true;
            rounds.takeAwaitingOwnTermCommit().forEach(this::startRead);
        }
    }

    private void startRead(long requestId) {
        rounds.addRead(requestId, node.commitIndex());
        if (replication.hasVoterFollowers()) {
            heartbeatRequested = true; // the next Ready starts the round that confirms it
        } else {
            rounds.start(node.ticks()); // a single voter is its own quorum
            rounds.confirm(replication::echoes, configs.current().quorum(), node.readStateSink());
        }
    }

    /** Leadership ends: every read waiting for a round or for our term's first commit fails. */
    void failReads(List<ReadState> out) {
        rounds.failAll(out);
    }

    boolean hasSendsDue() {
        return heartbeatRequested || broadcastRequested || commitNoticeDue;
    }

    /** Sends what was requested since the last Ready, in the order reads, new entries, commit notices. */
    void flushSends() {
        long commit = node.commitIndex();
        if (heartbeatRequested) {
            broadcastHeartbeat();
        }
        if (broadcastRequested) {
            replication.sendAppends(commit, rounds.current(), node.ticks());
        }
        if (commitNoticeDue) {
            replication.sendCommit(commit, rounds.current());
        }
        heartbeatRequested = false;
        broadcastRequested = false;
        commitNoticeDue = false;
    }

    /** Tick at which the lease started (the latest heartbeat a quorum echoed), or -1 for no lease. */
    long leaseStartTick() {
        return lease.startTick(transfer != null, replication, rounds, node.ticks());
    }

    boolean isTransferring() {
        return transfer != null;
    }

    Progress follower(String peer) {
        return replication.follower(peer);
    }

    private String targetOrNull() {
        return transfer == null ? null : transfer.target();
    }

    private void sendAppend(Progress pr) {
        replication.sendAppend(pr, node.commitIndex(), rounds.current(), node.ticks());
    }

    private void broadcastHeartbeat() {
        replication.sendHeartbeats(node.commitIndex(), rounds.start(node.ticks()));
    }

    /**
     * A transfer candidate's voters ignore stickiness and owe it no promise, so TimeoutNow must
     * not leave while a promise broken for this leader's own election may still protect the
     * previous leader's lease; until then the transfer waits (its timer does not run), and a
     * heartbeat response sends it later.
     */
    private void maybeSendTimeoutNow(Progress pr) {
        if (lease.waitOver(node.ticks())) {
            lease.forfeit();
            transfer.markTimeoutNowSent();
            node.send(new TimeoutNow(node.id(), pr.id, node.term()));
        }
    }

    /** Gives up a transfer that ran an election timeout; whether this node stepped down. */
    private boolean abandonTransfer() {
        if (lease.forfeited()) {
            // The target may be campaigning past stickiness; our lease is gone for this term,
            // so let a normal election pick the next leader.
            LOG.log(
                    Level.INFO,
                    "{0}: term {1}: transfer to {2} did not complete, stepping down",
                    node.id(),
                    node.term(),
                    transfer.target());
            node.becomeFollower(node.term(), null);
            return true;
        }
        LOG.log(
                Level.INFO,
                "{0}: term {1}: transfer to {2} abandoned, {2} did not catch up",
                node.id(),
                node.term(),
                transfer.target());
        transfer = null;
        return false;
    }
}
