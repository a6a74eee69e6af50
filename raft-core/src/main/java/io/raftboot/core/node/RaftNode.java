package io.raftboot.core.node;

import io.raftboot.core.log.LogEntry;
import io.raftboot.core.log.RaftLog;
import io.raftboot.core.message.AppendEntries;
import io.raftboot.core.message.AppendResponse;
import io.raftboot.core.message.InstallSnapshot;
import io.raftboot.core.message.Message;
import io.raftboot.core.message.SnapshotResponse;
import io.raftboot.core.message.TimeoutNow;
import io.raftboot.core.message.VoteRequest;
import io.raftboot.core.message.VoteResponse;
import io.raftboot.core.storage.HardState;
import io.raftboot.core.storage.PersistentState;
import io.raftboot.core.storage.Snapshot;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * One node's Raft protocol state: single-threaded, no I/O, no clock. Time advances only through
 * {@link #tick()}; randomness comes only from the injected generator; effects leave only through
 * {@link #ready()} (see {@link Ready} for the caller's duties). Between {@link #ready()} and
 * {@link #advance(Ready)} no other method may be called.
 *
 * <p>Rules are cited from the Raft paper (Ongaro and Ousterhout, 2014) by section and figure,
 * and from Ongaro's thesis (2014) as "thesis §".
 */
public final class RaftNode {

    private static final System.Logger LOG = System.getLogger(RaftNode.class.getName());
    private static final int MAX_APPLY_BATCH = 4096;
    private final String id;
    private final ProtocolSettings config;
    /** The configurations in the log: the latest one is in force (thesis §4.1). */
    private final Configurations configs;

    private final RaftLog log;

    // Persistent state (Figure 2) and the commit index, reported through Ready.hardState.
    private long term;
    private String votedFor;
    private long commit;

    private long applied;
    private Role role;
    private String leaderId;
    /** The role's own state: non-null exactly while this node is a candidate, or the leader. */
    private Candidacy candidacy;

    private Leadership leadership;

    private long now;
    private final ElectionTimer electionTimer;

    /** The promise this voter gives the leader it hears, which leader leases rest on. */
    private final Stickiness stickiness;
    /** Crash-fast detection: the leader the driver reported gone, and the early pre-vote. */
    private final LeaderLossReport lossReport;

    /**
     * Whether this voter may start elections (issue 16: leadership that follows the application's
     * readiness). A voter that may not still votes and replicates; only its own campaigns wait.
     */
    private boolean mayCampaign = true;

    /** This node's side of named roles: what it offers, its probes and its proofs (issue 16). */
    private final RoleProofs roleProofs;

    private final Outbox outbox;
    private final FollowerLog followerLog;
    private final Elections elections;

    public RaftNode(String id, ProtocolSettings config, PersistentState state, RandomGenerator random) {
        this.id = id;
        this.config = config;
        if (!config.membership().contains(id)) {
            throw new IllegalArgumentException(
                    "node '" + id + "' is neither a voter nor a learner of " + config.membership());
        }
        this.log = new RaftLog(state.snapshot(), state.entries());
        this.configs = new Configurations(config.membership(), log);
        this.lossReport = new LeaderLossReport(config, configs);
        this.stickiness = new Stickiness(config, lossReport);
        this.electionTimer = new ElectionTimer(config.electionTicks(), random);
        this.roleProofs = new RoleProofs(random);
        HardState hs = state.hardState();
        this.term = hs.term();
        this.votedFor = hs.votedFor();
        if (hs.commit() > log.lastIndex()) {
            throw new IllegalStateException(
                    "recovered commit index " + hs.commit() + " is beyond the recovered log (last index "
                            + log.lastIndex() + "): the log lost durable entries");
        }
        this.commit = Math.max(hs.commit(), log.snapshotIndex());
        this.applied = log.snapshotIndex();
        this.role = configs.current().isVoter(id) ? Role.FOLLOWER : Role.LEARNER;
        this.outbox = new Outbox(hs, softState());
        this.followerLog = new FollowerLog(this, log);
        this.elections =
                new Elections(this, configs, log, lossReport, stickiness, new VoteRules(id, configs, log, stickiness));
    }

    // ------------------------------------------------------------------ inputs

    /** Advances logical time by one tick. */
    public void tick() {
        now++;
        if (leadership != null) {
            stickiness.leaderHeard();
            if (!configs.current().isVoter(id) && !configs.changePending(commit)) {
                // Thesis §4.2.2: a leader removed from the voters leads until the change
                // commits (without counting itself), then steps down.
                LOG.log(
                        Level.INFO,
                        "{0}: term {1}: no longer a voter ({2}), stepping down",
                        id,
                        term,
                        configs.current());
                becomeFollower(term, null);
                return;
            }
            leadership.tick();
            return;
        }
        stickiness.tick();
        // §5.2: a follower that receives no communication over the election timeout campaigns.
        boolean timedOut = electionTimer.tickExpired();
        if (!mayCampaign) {
            return; // the timer keeps running out; the campaign starts once campaigns are allowed
        }
        if (timedOut && configs.current().isVoter(id)) {
            elections.campaign(config.preVote(), false);
        } else if (role == Role.FOLLOWER && lossReport.campaignDue(now)) {
            elections.campaign(true, false);
        }
    }

    /**
     * How many {@link #tick()}s from now the first one comes that may do something if no input
     * arrives meanwhile: send, persist, change role, term, leader or commit, start or end the
     * lease. The ticks before it only count (timers, stickiness), so a driver may sleep until
     * that tick is due, then tick up to it, and the node behaves exactly as if it had ticked all
     * along; any input ({@link #step}, a request, {@link #peerUnreachable}) may change the answer,
     * so ask again after one. The minimum over the election timer (§5.2) and a scheduled early
     * pre-vote on a follower or candidate, and over the heartbeat, check-quorum (thesis §6.2), a
     * transfer's timeout (thesis §3.10) and the lease (thesis §6.4.1) on a leader; never less
     * than 1, {@link Long#MAX_VALUE} when no tick ever will (a learner that hears nothing).
     */
    public long ticksUntilNextEvent() {
        if (leadership != null) {
            if (!configs.current().isVoter(id) && !configs.changePending(commit)) {
                return 1; // steps down at the next tick
            }
            return Math.min(leadership.ticksUntilNextEvent(), ticksUntilHeldRoleEnds());
        }
        long next = ticksUntilHeldRoleEnds();
        if (!mayCampaign) {
            return next; // no timer does anything until campaigns are allowed (an input)
        }
        if (configs.current().isVoter(id)) {
            next = Math.min(next, electionTimer.ticksLeft());
        }
        if (role == Role.FOLLOWER) {
            next = Math.min(next, lossReport.ticksUntilCampaign(now));
        }
        return next;
    }

    /** Ticks until the first held role's proof runs out (the driver publishes the loss then). */
    private long ticksUntilHeldRoleEnds() {
        long next = Long.MAX_VALUE;
        for (HeldRole held : heldRoles()) {
            next = Math.min(next, Math.max(1, held.endTick() - now));
        }
        return next;
    }

    /**
     * Crash-fast detection: the driver saw {@code peer}'s process go away (the connection it held
     * to us closed and a new one was refused: nothing listens on its port any more). If
     * {@code peer} is the leader this follower follows, it stops keeping its stickiness promise
     * to it and starts a pre-vote (thesis §9.6) without waiting for the election timeout; the
     * voters staggered by rank so that the survivors do not split the vote. A pre-vote only
     * succeeds if a majority has also lost the leader or not heard it for an election timeout,
     * so a false report about a live leader costs one failed pre-vote and changes no term. A
     * leader elected this way claims no lease until every promise its voters broke would have
     * run out ({@link VoteResponse#promiseTicks()}, {@link Lease}), so two leases never overlap
     * even then. Ignored without pre-vote, for any peer that is not our leader, and on non-voters.
     */
    public void peerUnreachable(String peer) {
        if (!mayCampaign
                || !config.preVote()
                || role != Role.FOLLOWER
                || !configs.current().isVoter(id)
                || !peer.equals(leaderId)) {
            return;
        }
        LOG.log(
                Level.INFO,
                "{0}: term {1}: leader {2} is gone (connection refused), campaigning early",
                id,
                term,
                peer);
        if (lossReport.report(peer, id, now)) {
            elections.campaign(true, false);
        }
    }

    /** Delivers one message from a peer: the term rules once, then the role's own handling. */
    public void step(Message m) {
        // Messages are taken from servers outside this node's configuration too (thesis §4.1): a
        // new server learns the configuration from its leader's appends, and a lagging voter must
        // answer a candidate its log does not know yet. Servers of another cluster never get here:
        // the transport admits only this cluster's id.
        if (!m.to().equals(id) || m.from().equals(id)) {
            LOG.log(Level.DEBUG, "{0}: dropping message not meant for this cluster member: {1}", id, m);
            return;
        }
        if (lossReport.isLateFromLostLeader(m, term, now)) {
            LOG.log(
                    Level.DEBUG,
                    "{0}: dropping a message {1} sent before it was reported gone: {2}",
                    id,
                    lossReport.lostLeader(),
                    m);
            return;
        }
        if (!stepTerm(m)) {
            return;
        }
        if (m instanceof VoteRequest vr) {
            elections.onVoteRequest(vr);
        } else if (leadership != null) {
            stepLeader(m);
        } else if (candidacy != null) {
            stepCandidate(m);
        } else {
            stepFollower(m);
        }
    }

    /**
     * The term rules (§5.1), for every role: a higher term is adopted (a vote request's only if
     * we are not sticky to a live leader, thesis §4.2.3 / §9.6); a lower one is answered with our
     * term so that a stale leader or candidate steps down. Returns whether {@code m} goes on to
     * its handler.
     */
    private boolean stepTerm(Message m) {
        if (m.term() > term) {
            if (m instanceof VoteRequest vr) {
                // Leader stickiness: while a live leader is heard, ignore a disruptive candidate
                // entirely, without adopting its term.
                if (!vr.transfer() && stickiness.refusesCandidates()) {
                    LOG.log(
                            Level.DEBUG,
                            "{0}: term {1}: refusing {2} of term {3} from {4}: a leader was heard within an election timeout",
                            id,
                            term,
                            vr.preVote() ? "pre-vote" : "vote",
                            vr.term(),
                            vr.from());
                    send(new VoteResponse(id, m.from(), term, false, vr.preVote()));
                    return false;
                }
                if (!vr.preVote()) {
                    becomeFollower(m.term(), null);
                }
            } else if (m instanceof VoteResponse vr && vr.preVote() && vr.granted()) {
                // A granted pre-vote carries the term the candidate would use; nothing to adopt.
            } else {
                boolean fromLeader =
                        m instanceof AppendEntries || m instanceof InstallSnapshot || m instanceof TimeoutNow;
                becomeFollower(m.term(), fromLeader ? m.from() : null);
            }
        } else if (m.term() < term) {
            if (m instanceof AppendEntries || m instanceof InstallSnapshot) {
                send(new AppendResponse(id, m.from(), term, false, 0, 0, 0, 0));
            } else if (m instanceof VoteRequest vr) {
                send(new VoteResponse(id, m.from(), term, false, vr.preVote()));
            }
            return false;
        }
        return true;
    }

    private void stepLeader(Message m) {
        if (m instanceof AppendResponse ar) {
            leadership.onAppendResponse(ar);
        } else if (m instanceof SnapshotResponse sr) {
            leadership.onSnapshotResponse(sr);
        } else if (m instanceof AppendEntries || m instanceof InstallSnapshot) {
            stepFollower(m); // another leader of our term cannot exist (§5.2); if it did, follow it
        }
    }

    private void stepCandidate(Message m) {
        if (m instanceof VoteResponse vr) {
            elections.onVoteResponse(vr);
        } else if (m instanceof AppendEntries || m instanceof InstallSnapshot) {
            stepFollower(m); // §5.2: a candidate that hears the leader of its term steps back
        }
    }

    private void stepFollower(Message m) {
        if (m instanceof AppendEntries ae) {
            acceptLeader(ae.from());
            followerLog.onAppendEntries(ae);
            if (!ae.entries().isEmpty() && configs.refresh(log, ae.prevLogIndex() + 1)) {
                configurationChanged();
            }
            roleProofs.onEcho(ae.probeEcho(), ae.roles(), now);
        } else if (m instanceof InstallSnapshot is) {
            acceptLeader(is.from());
            Snapshot received = followerLog.onInstallSnapshot(is);
            if (received != null) {
                outbox.snapshotReceived(received);
                Membership before = configs.current();
                configs.rescan(log);
                if (!before.equals(configs.current())) {
                    configurationChanged();
                }
            }
        } else if (m instanceof TimeoutNow tn) {
            elections.onTimeoutNow(tn);
        }
    }

    /**
     * Appends a command to the leader's log.
     *
     * @return the entry's index; it is committed once applied with this node's current term
     * @throws NotLeaderException if this node is not the leader or is transferring leadership
     */
    public long propose(byte[] command) {
        if (leadership == null) {
            throw new NotLeaderException(id, leaderId, "it is " + role);
        }
        return leadership.propose(command);
    }

    /**
     * Starts a linearizable read (ReadIndex, thesis §6.4). The answer arrives as a
     * {@link ReadState} with the same id: serve the read once the state machine applied up to its
     * index. A new leader answers none before an entry of its own term committed (§8).
     */
    public void readIndex(long requestId) {
        if (leadership == null) {
            throw new NotLeaderException(id, leaderId, "only the leader serves linearizable reads");
        }
        leadership.readIndex(requestId);
    }

    /** Leadership transfer (thesis §3.10) to a voter; abandoned after an election timeout. */
    public void transferLeadership(String target) {
        if (leadership == null) {
            throw new NotLeaderException(id, leaderId, "only the leader can transfer leadership");
        }
        leadership.transferTo(target);
    }

    /**
     * Changes the cluster's configuration, one voter at a time (thesis §4.1); the change takes
     * effect on every node as soon as it is in its log, and is done once committed.
     *
     * @return the log index of the new configuration
     * @throws NotLeaderException if this node is not the leader or is transferring leadership
     * @throws IllegalStateException if the change must wait (a new leader's first commit, or a
     *     change not yet committed): retry
     * @throws IllegalArgumentException if the change cannot apply to the current configuration
     */
    public long changeMembership(MembershipChange change) {
        if (leadership == null) {
            throw new NotLeaderException(id, leaderId, "only the leader changes the membership");
        }
        return leadership.changeMembership(change);
    }

    /** The configuration in force: the latest in the log, committed or not. */
    public Membership membership() {
        return configs.current();
    }

    /** Log index of {@link #membership()}'s entry (the snapshot's index, or 0 for the bootstrap membership). */
    public long membershipIndex() {
        return configs.index();
    }

    /**
     * Gives up leadership by handing it to a voter that holds the whole log, the first to get there
     * if none does yet (so no election timeout is lost; see {@code Leadership.stepDown}). Returns
     * the most up-to-date voter now, or {@code null} when there is none (single voter); the final
     * target is {@link #transferTarget()}.
     */
    public String stepDown() {
        return leadership == null ? null : leadership.stepDown();
    }

    /** The target of the leadership transfer under way, or {@code null}. */
    public String transferTarget() {
        return leadership == null ? null : leadership.transferTarget();
    }

    /** Builds a snapshot record for the state machine's state at {@code index} (must be applied). */
    public Snapshot snapshotAt(long index, byte[] data) {
        if (index > applied || index < log.snapshotIndex()) {
            throw new IllegalArgumentException("cannot snapshot at " + index + ": applied is " + applied
                    + ", current snapshot at " + log.snapshotIndex());
        }
        return new Snapshot(index, log.term(index), configs.at(log, index), data);
    }

    /**
     * Whether this voter may start elections (issue 16): a node that is not ready keeps voting and
     * replicating but does not campaign, so it does not become leader (a transfer to it, which an
     * operator or a leader asks for, still runs). Allowed again, a voter whose election timeout
     * ran out meanwhile campaigns at its next tick. If no voter may campaign, no leader is
     * elected: nothing is written and no leader-only work runs until one may again. A leader that
     * may not campaign keeps leading; the driver's caller hands leadership over.
     */
    public void allowCampaigns(boolean allowed) {
        mayCampaign = allowed;
    }

    /**
     * What this node offers to hold of the named roles (issue 16), and whether it is available
     * at all. A role it holds and no longer offers (or all of them, when it becomes unavailable)
     * stops at once and is released for good, so the leader may give it to another node as soon
     * as the revocation commits.
     */
    public void offerRoles(RoleCandidacy candidacy) {
        roleProofs.offer(candidacy, configs.current(), id);
    }

    /**
     * Moves named role {@code role} to {@code target} (an operator's request): the leader revokes
     * it from its holder, waits out the holder's proof as for any revocation, and grants it to
     * {@code target}. Afterwards the balance moves it only if the load is off by more than the
     * role's weight, as for any role.
     *
     * @throws NotLeaderException if this node is not the leader
     * @throws IllegalArgumentException if {@code target} is not a member or does not offer the role
     */
    public void moveRole(String role, String target) {
        if (leadership == null) {
            throw new NotLeaderException(id, leaderId, "only the leader moves roles");
        }
        leadership.moveRole(role, target);
    }

    RoleCandidacy ownRoleCandidacy() {
        return roleProofs.candidacy();
    }

    /**
     * The named roles this node holds now (issue 16): granted to it by the configuration in its
     * log, offered and not released, and covered by a proof, the leader's echo of its probe or,
     * on the leader, its own lease. Each with the tick it runs from; the driver maps it to real
     * time as for the lease.
     */
    public List<HeldRole> heldRoles() {
        return roleProofs.held(
                configs.current(),
                id,
                now,
                commit,
                leadership == null ? -1 : leadership.leaseStartTick(),
                config.leaseTicks(),
                config.roleLeaseTicks());
    }

    /** Who holds each named role, as the configuration in force says. */
    public SortedMap<String, RoleGrant> roleAssignments() {
        return new TreeMap<>(configs.current().roles());
    }

    /** Discards log entries covered by a snapshot the caller has already persisted (§7). */
    public void compact(Snapshot snapshot) {
        log.compact(snapshot);
    }

    // ------------------------------------------------------------------ output

    public boolean hasReady() {
        return outbox.hasNews(hardState(), softState())
                || leadership != null && leadership.hasSendsDue()
                || log.stableIndex() < log.lastIndex()
                || nextApplyIndex() <= Math.min(commit, log.lastIndex());
    }

    public Ready ready() {
        if (leadership != null) {
            leadership.flushSends();
        }
        long from = nextApplyIndex();
        long to = Math.min(Math.min(commit, log.lastIndex()), from + MAX_APPLY_BATCH - 1);
        return outbox.take(
                hardState(),
                softState(),
                log.unstableEntries(),
                from <= to ? log.slice(from, to, MAX_APPLY_BATCH) : List.of(),
                leadership != null,
                candidacy != null && !candidacy.isPreVote());
    }

    /** The caller finished the work of {@code ready}. */
    public void advance(Ready ready) {
        outbox.done(ready);
        if (ready.hardState() != null
                && candidacy != null
                && !candidacy.isPreVote()
                && ready.hardState().term() == term
                && id.equals(ready.hardState().votedFor())
                && !candidacy.hasVoted(id)) {
            // §5.2: our vote for ourselves counts once it is durable (see Outbox#messagesMayLeaveBeforePersist).
            elections.countVote(candidacy, id, true, 0);
        }
        if (ready.snapshot() != null) {
            applied = Math.max(applied, ready.snapshot().lastIndex());
        }
        if (!ready.entries().isEmpty()) {
            log.stableTo(ready.entries().get(ready.entries().size() - 1).index());
            if (leadership != null) {
                leadership.maybeCommit(); // our own durable entries count toward the quorum only now
            }
        }
        if (!ready.committedEntries().isEmpty()) {
            applied = ready.committedEntries()
                    .get(ready.committedEntries().size() - 1)
                    .index();
        }
    }

    // ------------------------------------------------------------------ queries

    public String id() {
        return id;
    }

    public Role role() {
        return role;
    }

    public long term() {
        return term;
    }

    public String leaderId() {
        return leaderId;
    }

    public String votedFor() {
        return votedFor;
    }

    public long commitIndex() {
        return commit;
    }

    public long appliedIndex() {
        return applied;
    }

    public long lastIndex() {
        return log.lastIndex();
    }

    public long lastTerm() {
        return log.lastTerm();
    }

    public long ticks() {
        return now;
    }

    public ProtocolSettings config() {
        return config;
    }

    /** Read-only access to the log, for status and tests. */
    public LogEntry entry(long index) {
        return log.entry(index);
    }

    public long firstIndex() {
        return log.firstIndex();
    }

    public boolean isTransferringLeadership() {
        return leadership != null && leadership.isTransferring();
    }

    /**
     * Whether this node surely still leads: a majority acknowledged a heartbeat sent less than
     * the lease ago, and each of those voters refuses other candidates for an election timeout
     * after hearing it (stickiness). Off during a leadership transfer, and for the rest of the
     * term once TimeoutNow left, because the transfer candidate may ignore stickiness. Never
     * with check-quorum off.
     */
    public boolean leaseValid() {
        return leaseRemainingTicks() > 0;
    }

    /** Ticks left on the leader lease, 0 if none. */
    public long leaseRemainingTicks() {
        long start = leaseStartTick();
        if (start < 0) {
            return 0;
        }
        return Math.max(0, config.leaseTicks() - (now - start));
    }

    public List<PeerStatus> peers() {
        List<PeerStatus> result = new ArrayList<>();
        for (String peer : configs.current().all()) {
            if (peer.equals(id)) {
                continue;
            }
            Progress pr = leadership == null ? null : leadership.follower(peer);
            result.add(
                    pr == null
                            ? new PeerStatus(peer, configs.current().isVoter(peer), -1, -1)
                            : new PeerStatus(peer, pr.voter, pr.match, now - pr.lastResponseTick));
        }
        return result;
    }

    // ------------------------------------------------------------------ election (see Elections)

    /** Enters a campaign (thesis §9.6 pre-vote, or §5.2 election) with a new {@link Candidacy}. */
    void becomeCandidate(Candidacy c) {
        lossReport.cancelCampaign();
        candidacy = c;
        leaderId = null;
        role = Role.CANDIDATE;
        electionTimer.reset();
    }

    /** §5.2: a candidate's new term and its vote for itself, persisted by the next Ready. */
    void startTerm() {
        term++;
        votedFor = id;
    }

    /** Grants a real vote: one per term (§5.2); the timer restarts, the early campaign is off. */
    void recordVote(String candidate) {
        votedFor = candidate;
        electionTimer.restart();
        lossReport.cancelCampaign();
    }

    Candidacy candidacy() {
        return candidacy;
    }

    /** The configuration in force changed: a learner promoted follows, a voter demoted stops campaigning. */
    void configurationChanged() {
        Membership m = configs.current();
        LOG.log(Level.INFO, "{0}: term {1}: configuration of index {2}: {3}", id, term, configs.index(), m);
        if (leadership == null && (role == Role.LEARNER) == m.isVoter(id)) {
            becomeFollower(term, leaderId);
        }
    }

    void becomeFollower(long newTerm, String leader) {
        if (newTerm > term) {
            term = newTerm;
            votedFor = null; // a new term, a new vote; a step-down in the same term keeps it
        }
        role = configs.current().isVoter(id) ? Role.FOLLOWER : Role.LEARNER;
        candidacy = null;
        leaderId = leader;
        if (leader != null) {
            stickiness.leaderHeard();
        }
        electionTimer.reset();
        if (leadership != null) {
            leadership.failReads(outbox.readStates());
            leadership = null;
        }
        if (outbox.softStateChanged(softState())) {
            LOG.log(Level.INFO, "{0}: term {1}: {2}, leader {3}", id, term, role, leader);
        }
    }

    void becomeLeader(Candidacy won) {
        role = Role.LEADER;
        candidacy = null;
        leaderId = id;
        stickiness.leaderHeard();
        lossReport.clear();
        leadership = new Leadership(this, config, configs, log, won.brokenPromiseTicks());
        leadership.begin();
        LOG.log(Level.INFO, "{0}: term {1}: became LEADER", id, term);
    }

    // ------------------------------------------------------------------ following

    private void acceptLeader(String leader) {
        if (role == Role.CANDIDATE || role == Role.LEADER || !leader.equals(leaderId)) {
            becomeFollower(term, leader);
        }
        leaderId = leader;
        electionTimer.restart();
        stickiness.leaderHeard();
        lossReport.clear();
    }

    // ------------------------------------------------------------------ lease

    /**
     * Tick at which this leader sent the latest heartbeat that a quorum (this node included)
     * acknowledged, or -1 (see {@link Lease}). The driver maps it to wall-clock time for a
     * real-time lease.
     */
    public long leaseStartTick() {
        return leadership == null ? -1 : leadership.leaseStartTick();
    }

    // ------------------------------------------------------------------ helpers

    /** Queues {@code m}; responses carry our role probe and offer, a leader's appends its role echo. */
    void send(Message m) {
        if (m instanceof AppendResponse ar && roleProofs.candidacy() != RoleCandidacy.NONE) {
            m = ar.withRoles(roleProofs.probe(now), roleProofs.candidacy());
        } else if (m instanceof AppendEntries ae && leadership != null) {
            m = leadership.withRoleEcho(ae);
        }
        outbox.send(m);
    }

    /** Where a role object puts the read states it answers; the list changes with each Ready. */
    List<ReadState> readStateSink() {
        return outbox.readStates();
    }

    /** The leader learned that a quorum stores entries up to {@code index} (§5.3). */
    void commitTo(long index) {
        commit = index;
    }

    private long nextApplyIndex() {
        return Math.max(applied, log.snapshotIndex()) + 1;
    }

    private HardState hardState() {
        return new HardState(term, votedFor, commit);
    }

    private SoftState softState() {
        return new SoftState(role, term, leaderId);
    }

    @Override
    public String toString() {
        return "RaftNode[" + id + " " + role + " term=" + term + " leader=" + leaderId + " commit=" + commit
                + " applied=" + applied + " last=" + log.lastIndex() + "]";
    }
}
