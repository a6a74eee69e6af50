package io.raftboot.core.node;

import io.raftboot.core.log.EntryType;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
    private final Membership membership;
    private final RandomGenerator random;
    private final RaftLog log;

    // Persistent state (Figure 2) and the commit index, reported through Ready.hardState.
    private long term;
    private String votedFor;
    private long commit;
    private HardState lastReportedHardState;

    private long applied;
    private Role role;
    private boolean preCandidate;
    private String leaderId;
    private SoftState lastReportedSoftState;

    private long now;
    private int electionElapsed;
    private int randomizedElectionTimeout;
    private int heartbeatElapsed;
    /** Ticks since a leader was last heard (0 at boot: a restarted voter honours the lease it may have promised). */
    private long ticksSinceLeader;

    private final Map<String, Boolean> votes = new HashMap<>();
    /** The leader's replication state; null unless this node leads. */
    private Replication replication;

    private final HeartbeatRounds rounds = new HeartbeatRounds();
    private boolean heartbeatRequested;
    private boolean broadcastRequested;
    /** A follower could learn a higher commit index than we told it: tell it in the next Ready. */
    private boolean commitNoticeDue;

    private String transferee;
    private int transferElapsed;
    /** TimeoutNow went to the current transferee. */
    private boolean transfereeTimedOut;
    /** TimeoutNow went out in this term: its target may campaign past stickiness, so no more lease. */
    private boolean timeoutNowSent;

    /**
     * Crash-fast detection: the last leader heard, once the driver reported its process gone
     * (this node then no longer keeps its stickiness promise to it), and the early pre-vote.
     */
    private final LeaderLossReport lossReport;
    /** Candidate: the longest stickiness promise to the previous leader its voters broke (own ticks). */
    private long brokenPromiseTicks;
    /** Leader: no lease before this tick, because voters broke their promise to the previous leader. */
    private long leaseNotBeforeTick;

    private Snapshot pendingSnapshot;
    private List<Message> messages = new ArrayList<>();
    private List<ReadState> readStates = new ArrayList<>();

    public RaftNode(String id, ProtocolSettings config, PersistentState state, RandomGenerator random) {
        this.id = id;
        this.config = config;
        this.membership = config.membership();
        this.lossReport = new LeaderLossReport(config, membership);
        this.random = random;
        if (!membership.contains(id)) {
            throw new IllegalArgumentException("node '" + id + "' is neither a voter nor a learner of " + membership);
        }
        this.log = new RaftLog(state.snapshot(), state.entries());
        HardState hs = state.hardState();
        this.term = hs.term();
        this.votedFor = hs.votedFor();
        if (hs.commit() > log.lastIndex()) {
            throw new IllegalStateException("recovered commit index " + hs.commit() + " is beyond the recovered log (last index "
                    + log.lastIndex() + "): the log lost durable entries");
        }
        this.commit = Math.max(hs.commit(), log.snapshotIndex());
        this.applied = log.snapshotIndex();
        this.lastReportedHardState = hs;
        this.role = membership.isVoter(id) ? Role.FOLLOWER : Role.LEARNER;
        this.lastReportedSoftState = softState();
        resetElectionTimer();
    }

    // ------------------------------------------------------------------ inputs

    /** Advances logical time by one tick. */
    public void tick() {
        now++;
        if (role == Role.LEADER) {
            tickLeader();
        } else {
            ticksSinceLeader++;
            electionElapsed++;
            // §5.2: a follower that receives no communication over the election timeout campaigns.
            if (membership.isVoter(id) && electionElapsed >= randomizedElectionTimeout) {
                campaign(config.preVote(), false);
            } else if (role == Role.FOLLOWER && lossReport.campaignDue(now)) {
                campaign(true, false);
            }
        }
    }

    private void tickLeader() {
        ticksSinceLeader = 0;
        if (transferee != null && leaseWaitOver() && ++transferElapsed >= config.electionTicks()) {
            abandonTransfer();
            if (role != Role.LEADER) {
                return;
            }
        }
        // Check-quorum (thesis §6.2): a leader that has not heard from a majority within an
        // election timeout steps down, so a partitioned leader stops acting as one.
        if (config.checkQuorum() && replication.activeVoters(now) < membership.quorum()) {
            LOG.log(Level.INFO, "{0}: term {1}: lost contact with a majority, stepping down", id, term);
            becomeFollower(term, null);
            return;
        }
        if (++heartbeatElapsed >= config.heartbeatTicks()) {
            heartbeatElapsed = 0;
            broadcastHeartbeat();
            replication.retransmitStalled(commit, rounds.current(), now);
        }
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
     * run out ({@link VoteResponse#promiseTicks()}), so two leases never overlap even then.
     * Ignored without pre-vote, for any peer that is not our leader, and on non-voters.
     */
    public void peerUnreachable(String peer) {
        if (!config.preVote() || role != Role.FOLLOWER || !membership.isVoter(id) || !peer.equals(leaderId)) {
            return;
        }
        LOG.log(Level.INFO, "{0}: term {1}: leader {2} is gone (connection refused), campaigning early", id, term, peer);
        if (lossReport.report(peer, id, now)) {
            campaign(true, false);
        }
    }

    /** Delivers one message from a peer. */
    public void step(Message m) {
        if (!m.to().equals(id) || !membership.contains(m.from()) || m.from().equals(id)) {
            LOG.log(Level.DEBUG, "{0}: dropping message not meant for this cluster member: {1}", id, m);
            return;
        }
        if (lossReport.isLateFromLostLeader(m, term, now)) {
            LOG.log(Level.DEBUG, "{0}: dropping a message {1} sent before it was reported gone: {2}", id,
                    lossReport.lostLeader(), m);
            return;
        }
        if (m.term() > term) {
            if (m instanceof VoteRequest vr) {
                // Leader stickiness (thesis §4.2.3 / §9.6): while a live leader is heard, ignore
                // a disruptive candidate entirely, without adopting its term.
                if (!vr.transfer() && inLease()) {
                    send(new VoteResponse(id, m.from(), term, false, vr.preVote()));
                    return;
                }
                if (!vr.preVote()) {
                    becomeFollower(m.term(), null);
                }
            } else if (m instanceof VoteResponse vr && vr.preVote() && vr.granted()) {
                // A granted pre-vote carries the term the candidate would use; nothing to adopt.
            } else {
                // §5.1: a node that sees a higher term adopts it and becomes a follower.
                boolean fromLeader = m instanceof AppendEntries || m instanceof InstallSnapshot || m instanceof TimeoutNow;
                becomeFollower(m.term(), fromLeader ? m.from() : null);
            }
        } else if (m.term() < term) {
            // §5.1: stale term. Tell a stale leader or candidate our term so it steps down.
            if (m instanceof AppendEntries || m instanceof InstallSnapshot) {
                send(new AppendResponse(id, m.from(), term, false, 0, 0, 0, 0));
            } else if (m instanceof VoteRequest vr) {
                send(new VoteResponse(id, m.from(), term, false, vr.preVote()));
            }
            return;
        }
        if (m instanceof VoteRequest vr) {
            handleVoteRequest(vr);
        } else if (m instanceof VoteResponse vr) {
            handleVoteResponse(vr);
        } else if (m instanceof AppendEntries ae) {
            handleAppendEntries(ae);
        } else if (m instanceof AppendResponse ar) {
            handleAppendResponse(ar);
        } else if (m instanceof TimeoutNow tn) {
            handleTimeoutNow(tn);
        } else if (m instanceof InstallSnapshot is) {
            handleInstallSnapshot(is);
        } else if (m instanceof SnapshotResponse sr) {
            handleSnapshotResponse(sr);
        }
    }

    /**
     * Appends a command to the leader's log.
     *
     * @return the entry's index; it is committed once applied with this node's current term
     * @throws NotLeaderException if this node is not the leader or is transferring leadership
     */
    public long propose(byte[] command) {
        if (role != Role.LEADER) {
            throw new NotLeaderException(id, leaderId, "it is " + role);
        }
        if (transferee != null) {
            throw new NotLeaderException(id, transferee, "it is handing leadership to '" + transferee + "'");
        }
        long index = log.lastIndex() + 1;
        log.append(new LogEntry(index, term, EntryType.NORMAL, command));
        broadcastRequested = true;
        return index;
    }

    /**
     * Starts a linearizable read (ReadIndex, thesis §6.4). The answer arrives as a
     * {@link ReadState} with the same id: serve the read once the state machine applied up to its
     * index. A new leader answers none before an entry of its own term committed (§8).
     */
    public void readIndex(long requestId) {
        if (role != Role.LEADER || transferee != null) {
            throw new NotLeaderException(id, transferee != null ? transferee : leaderId, "only the leader serves linearizable reads");
        }
        if (log.term(commit) != term) {
            rounds.awaitOwnTermCommit(requestId);
            return;
        }
        startRead(requestId);
    }

    /** Leadership transfer (thesis §3.10) to a voter; abandoned after an election timeout. */
    public void transferLeadership(String target) {
        if (role != Role.LEADER) {
            throw new NotLeaderException(id, leaderId, "only the leader can transfer leadership");
        }
        if (!membership.isVoter(target)) {
            throw new IllegalArgumentException("cannot transfer leadership to '" + target + "': it is not a voter of " + membership.voters());
        }
        if (target.equals(id) || target.equals(transferee)) {
            return;
        }
        LOG.log(Level.INFO, "{0}: term {1}: transferring leadership to {2}", id, term, target);
        transferee = target;
        transferElapsed = 0;
        transfereeTimedOut = false;
        Progress pr = replication.follower(target);
        if (pr.match == log.lastIndex()) {
            maybeSendTimeoutNow(pr);
        } else {
            sendAppend(pr);
        }
    }

    /**
     * Gives up leadership by handing it to the most up-to-date voter (so no election timeout is
     * lost). Returns the chosen node, or {@code null} when there is none (single voter).
     */
    public String stepDown() {
        if (role != Role.LEADER) {
            return null;
        }
        Progress best = replication.mostUpToDateVoter();
        if (best == null) {
            return null;
        }
        transferLeadership(best.id);
        return best.id;
    }

    /** Builds a snapshot record for the state machine's state at {@code index} (must be applied). */
    public Snapshot snapshotAt(long index, byte[] data) {
        if (index > applied || index < log.snapshotIndex()) {
            throw new IllegalArgumentException("cannot snapshot at " + index + ": applied is " + applied
                    + ", current snapshot at " + log.snapshotIndex());
        }
        return new Snapshot(index, log.term(index), membership, data);
    }

    /** Discards log entries covered by a snapshot the caller has already persisted (§7). */
    public void compact(Snapshot snapshot) {
        log.compact(snapshot);
    }

    // ------------------------------------------------------------------ output

    public boolean hasReady() {
        return !messages.isEmpty() || !readStates.isEmpty() || pendingSnapshot != null
                || broadcastRequested || heartbeatRequested || commitNoticeDue
                || !hardState().equals(lastReportedHardState) || !softState().equals(lastReportedSoftState)
                || log.stableIndex() < log.lastIndex() || nextApplyIndex() <= Math.min(commit, log.lastIndex());
    }

    public Ready ready() {
        if (role == Role.LEADER) {
            if (heartbeatRequested) {
                broadcastHeartbeat();
            }
            if (broadcastRequested) {
                replication.sendAppends(commit, rounds.current(), now);
            }
            if (commitNoticeDue) {
                replication.sendCommit(commit, rounds.current());
            }
        }
        heartbeatRequested = false;
        broadcastRequested = false;
        commitNoticeDue = false;
        HardState hs = hardState();
        SoftState ss = softState();
        long from = nextApplyIndex();
        long to = Math.min(Math.min(commit, log.lastIndex()), from + MAX_APPLY_BATCH - 1);
        Ready ready = new Ready(
                ss.equals(lastReportedSoftState) ? null : ss,
                hs.equals(lastReportedHardState) ? null : hs,
                pendingSnapshot,
                log.unstableEntries(),
                messages,
                from <= to ? log.slice(from, to, MAX_APPLY_BATCH) : List.of(),
                readStates,
                messagesMayLeaveBeforePersist(hs));
        messages = new ArrayList<>();
        readStates = new ArrayList<>();
        return ready;
    }

    /**
     * Whether this Ready's messages promise nothing it persists, so they may leave while it is
     * written. A leader grants and acknowledges nothing: its appends need its term and vote,
     * durable unless this Ready changes them (its own entries count only once durable, thesis
     * §10.2.1). A candidate's vote requests carry its new term and its vote for itself (§5.2),
     * which count toward its election only once durable ({@link #advance}): if it crashed before,
     * it might vote again in that term after a restart, so it must not have won with that vote.
     * Its refusals promise nothing; it grants no vote of its term, and no pre-vote changes state.
     */
    private boolean messagesMayLeaveBeforePersist(HardState hs) {
        boolean termAndVoteDurable = hs.term() == lastReportedHardState.term()
                && Objects.equals(hs.votedFor(), lastReportedHardState.votedFor());
        if (role == Role.LEADER) {
            return termAndVoteDurable;
        }
        if (role != Role.CANDIDATE || preCandidate) {
            return false;
        }
        for (Message m : messages) {
            boolean promisesNothing = m instanceof VoteRequest
                    || m instanceof VoteResponse r && (!r.granted() || r.preVote());
            if (!promisesNothing) {
                return false;
            }
        }
        return true;
    }

    /** The caller finished the work of {@code ready}. */
    public void advance(Ready ready) {
        if (ready.hardState() != null) {
            lastReportedHardState = ready.hardState();
            if (role == Role.CANDIDATE && !preCandidate && ready.hardState().term() == term
                    && id.equals(ready.hardState().votedFor()) && !votes.containsKey(id)) {
                // §5.2: our vote for ourselves counts once it is durable (see messagesMayLeaveBeforePersist).
                countVote(id, true);
            }
        }
        if (ready.softState() != null) {
            lastReportedSoftState = ready.softState();
        }
        if (ready.snapshot() != null) {
            applied = Math.max(applied, ready.snapshot().lastIndex());
            if (pendingSnapshot == ready.snapshot()) {
                pendingSnapshot = null;
            }
        }
        if (!ready.entries().isEmpty()) {
            log.stableTo(ready.entries().get(ready.entries().size() - 1).index());
            if (role == Role.LEADER) {
                maybeCommit(); // our own durable entries count toward the quorum only now
            }
        }
        if (!ready.committedEntries().isEmpty()) {
            applied = ready.committedEntries().get(ready.committedEntries().size() - 1).index();
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
        return transferee != null;
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
        for (String peer : membership.all()) {
            if (peer.equals(id)) {
                continue;
            }
            Progress pr = replication == null ? null : replication.follower(peer);
            result.add(pr == null
                    ? new PeerStatus(peer, membership.isVoter(peer), -1, -1)
                    : new PeerStatus(peer, pr.voter, pr.match, now - pr.lastResponseTick));
        }
        return result;
    }

    // ------------------------------------------------------------------ election

    private void campaign(boolean preVote, boolean transfer) {
        if (!membership.isVoter(id)) {
            return;
        }
        lossReport.cancelCampaign();
        brokenPromiseTicks = transfer ? 0 : promiseTicks();
        votes.clear();
        leaderId = null;
        role = Role.CANDIDATE;
        preCandidate = preVote;
        resetElectionTimer();
        long voteTerm;
        if (preVote) {
            voteTerm = term + 1; // thesis §9.6: ask whether we could win, changing no state
            LOG.log(Level.INFO, "{0}: term {1}: starting pre-vote", id, term);
        } else {
            // §5.2: increment term, vote for self; Ready persists both before the requests leave.
            term++;
            votedFor = id;
            voteTerm = term;
            LOG.log(Level.INFO, "{0}: term {1}: starting election{2}", id, term, transfer ? " (leadership transfer)" : "");
        }
        for (String peer : membership.voters()) {
            if (!peer.equals(id)) {
                send(new VoteRequest(id, peer, voteTerm, log.lastIndex(), log.lastTerm(), preVote, transfer));
            }
        }
        if (preVote) {
            countVote(id, true); // a pre-vote changes nothing, so our own counts at once
        }
        // A real election's own vote counts once the Ready that persists it is advanced.
    }

    private void electionWon() {
        if (preCandidate) {
            campaign(false, false);
        } else {
            becomeLeader();
        }
    }

    private void handleVoteRequest(VoteRequest m) {
        // Figure 2, RequestVote receiver: one vote per term (§5.2), only for a log at least as up
        // to date as ours (§5.4.1); a learner never votes.
        boolean canVote = m.from().equals(votedFor)
                || (votedFor == null && leaderId == null)
                || (m.preVote() && m.term() > term);
        boolean grant = membership.isVoter(id) && membership.isVoter(m.from()) && canVote
                && log.isUpToDate(m.lastLogIndex(), m.lastLogTerm())
                && (m.transfer() || !inLease() || m.term() == term && m.from().equals(votedFor));
        long promise = 0;
        if (grant && m.preVote()) {
            // Two voters that start pre-votes within one round trip of each other both win them
            // and then split the real vote (after a frozen leader: 1 of 30 benchmark runs took an
            // extra election, ~1 s); survivors of a crash-fast report overlap more often. Granting
            // a better-ranked (lower id, the lost leader aside) pre-candidate's pre-vote, give way
            // to it: drop our own early campaign and our own pre-vote. Timers only: no safety change.
            lossReport.cancelCampaign();
            if (role == Role.CANDIDATE && preCandidate && lossReport.rank(m.from()) < lossReport.rank(id)) {
                becomeFollower(term, null);
            }
        }
        if (grant && !m.preVote()) {
            votedFor = m.from();
            electionElapsed = 0;
            lossReport.cancelCampaign();
            // A transfer candidate's leader forfeited its lease when it sent TimeoutNow.
            promise = m.transfer() ? 0 : promiseTicks();
        }
        send(new VoteResponse(id, m.from(), grant && m.preVote() ? m.term() : term, grant, m.preVote(), promise));
    }

    private void handleVoteResponse(VoteResponse m) {
        if (role != Role.CANDIDATE || m.preVote() != preCandidate || !membership.isVoter(m.from())) {
            return;
        }
        if (preCandidate && m.granted() && m.term() != term + 1) {
            return;
        }
        if (m.granted() && !preCandidate) {
            brokenPromiseTicks = Math.max(brokenPromiseTicks, m.promiseTicks());
        }
        countVote(m.from(), m.granted());
    }

    private void countVote(String voter, boolean granted) {
        votes.put(voter, granted);
        if (grantedVotes() >= membership.quorum()) {
            electionWon();
        } else if (votes.size() - grantedVotes() >= membership.quorum()) {
            LOG.log(Level.INFO, "{0}: term {1}: lost the {2}", id, term, preCandidate ? "pre-vote" : "election");
            becomeFollower(term, null);
        }
    }

    private int grantedVotes() {
        int n = 0;
        for (boolean v : votes.values()) {
            if (v) {
                n++;
            }
        }
        return n;
    }

    private void handleTimeoutNow(TimeoutNow m) {
        if (!m.from().equals(leaderId) || !membership.isVoter(id)) {
            return;
        }
        campaign(false, true);
    }

    /** Leader stickiness: whether this voter refuses other candidates because a leader was heard lately. */
    private boolean inLease() {
        return !lossReport.leaderLost() && promiseTicks() > 0;
    }

    /**
     * Ticks this voter still owes the last leader it heard (leader stickiness, which the lease
     * rests on), whether or not it keeps the promise; 0 without check-quorum.
     */
    private long promiseTicks() {
        return config.checkQuorum() ? Math.max(0, config.electionTicks() - ticksSinceLeader) : 0;
    }

    private void becomeFollower(long newTerm, String leader) {
        boolean wasLeader = role == Role.LEADER;
        if (newTerm > term) {
            term = newTerm;
            votedFor = null; // a new term, a new vote; a step-down in the same term keeps it
        }
        role = membership.isVoter(id) ? Role.FOLLOWER : Role.LEARNER;
        preCandidate = false;
        leaderId = leader;
        if (leader != null) {
            ticksSinceLeader = 0;
        }
        resetElectionTimer();
        if (wasLeader) {
            replication = null;
            transferee = null;
            timeoutNowSent = false;
            rounds.failAll(readStates);
        }
        if (!softState().equals(lastReportedSoftState)) {
            LOG.log(Level.INFO, "{0}: term {1}: {2}, leader {3}", id, term, role, leader);
        }
    }

    private void becomeLeader() {
        role = Role.LEADER;
        preCandidate = false;
        leaderId = id;
        ticksSinceLeader = 0;
        heartbeatElapsed = 0;
        transferee = null;
        timeoutNowSent = false;
        lossReport.clear();
        leaseNotBeforeTick = now + promiseToOwnTicks(brokenPromiseTicks);
        replication = new Replication(id, term, config, log, now, this::send);
        // §5.4.2 / §8: commit a no-op of our term so earlier entries commit and reads may start.
        log.append(LogEntry.noop(log.lastIndex() + 1, term));
        broadcastRequested = true;
        rounds.start(now);
        LOG.log(Level.INFO, "{0}: term {1}: became LEADER", id, term);
    }

    private void resetElectionTimer() {
        electionElapsed = 0;
        // §5.2: randomized in [T, 2T) so that split votes are rare.
        randomizedElectionTimeout = config.electionTicks() + random.nextInt(config.electionTicks());
    }

    // ------------------------------------------------------------------ replication

    private void handleAppendEntries(AppendEntries m) {
        acceptLeader(m.from());
        if (m.prevLogIndex() < commit) {
            // Our committed prefix matches any current leader's log (§5.4.3); tell it how far.
            send(new AppendResponse(id, m.from(), term, true, commit, 0, 0, m.readSeq()));
            return;
        }
        if (log.matchTerm(m.prevLogIndex(), m.prevLogTerm())) {
            // Figure 2 receiver steps 3-5.
            log.appendFromLeader(m.entries(), commit);
            long lastNew = m.lastIndex();
            long newCommit = Math.min(m.leaderCommit(), lastNew);
            if (newCommit > commit) {
                commit = newCommit;
            }
            send(new AppendResponse(id, m.from(), term, true, lastNew, 0, 0, m.readSeq()));
            return;
        }
        // Consistency check failed (§5.3): hint where the leader should retry (fast backtracking).
        long hintIndex;
        long hintTerm;
        if (log.lastIndex() < m.prevLogIndex()) {
            hintIndex = log.lastIndex() + 1;
            hintTerm = 0;
        } else {
            hintTerm = log.term(m.prevLogIndex());
            hintIndex = Math.max(commit + 1, log.firstIndexOfTermAtOrBefore(m.prevLogIndex(), hintTerm));
        }
        send(new AppendResponse(id, m.from(), term, false, m.prevLogIndex(), hintIndex, hintTerm, m.readSeq()));
    }

    private void acceptLeader(String leader) {
        if (role == Role.CANDIDATE || role == Role.LEADER || !leader.equals(leaderId)) {
            becomeFollower(term, leader); // §5.2: a candidate that hears the leader of its term steps back
        }
        leaderId = leader;
        electionElapsed = 0;
        ticksSinceLeader = 0;
        lossReport.clear();
    }

    private void handleInstallSnapshot(InstallSnapshot m) {
        acceptLeader(m.from());
        Snapshot s = m.snapshot();
        if (s.lastIndex() <= commit) {
            send(new SnapshotResponse(id, m.from(), term, commit));
            return;
        }
        // §7, Figure 13: keep the log after the snapshot only if it holds the snapshot's last entry.
        LOG.log(Level.INFO, "{0}: term {1}: installing snapshot up to {2} from {3}", id, term, s.lastIndex(), m.from());
        log.restore(s);
        commit = s.lastIndex();
        pendingSnapshot = s;
        send(new SnapshotResponse(id, m.from(), term, s.lastIndex()));
    }

    /** The follower a response comes from, marked as heard from now; null if we do not lead. */
    private Progress respondent(Message response) {
        Progress pr = role == Role.LEADER ? replication.follower(response.from()) : null;
        if (pr != null) {
            pr.lastResponseTick = now;
        }
        return pr;
    }

    private void handleAppendResponse(AppendResponse m) {
        Progress pr = respondent(m);
        if (pr == null) {
            return;
        }
        if (m.readSeq() > pr.ackedSeq) {
            pr.ackedSeq = m.readSeq();
            rounds.confirm(replication::echoes, membership.quorum(), readStates);
        }
        if (m.success()) {
            if (pr.maybeUpdate(m.matchIndex(), now)) {
                if (pr.state == Progress.State.PROBE || pr.state == Progress.State.SNAPSHOT) {
                    pr.becomeReplicate();
                }
                maybeCommit();
                commitNoticeDue |= replication.commitNoticeDue(pr, commit);
            }
            if (pr.id.equals(transferee) && pr.match == log.lastIndex() && !transfereeTimedOut) {
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

    private void handleSnapshotResponse(SnapshotResponse m) {
        Progress pr = respondent(m);
        if (pr == null) {
            return;
        }
        pr.maybeUpdate(m.matchIndex(), now);
        pr.becomeReplicate();
        maybeCommit();
        sendAppend(pr);
    }

    private void sendAppend(Progress pr) {
        replication.sendAppend(pr, commit, rounds.current(), now);
    }

    private void broadcastHeartbeat() {
        replication.sendHeartbeats(commit, rounds.start(now));
    }

    /** §5.3 and §5.4.2: commit the highest index stored on a majority, if it is of our term. */
    private void maybeCommit() {
        long candidate = replication.quorumMatch(log.stableIndex());
        if (candidate > commit && log.term(candidate) == term) {
            commit = candidate;
            commitNoticeDue = true;
            rounds.takeAwaitingOwnTermCommit().forEach(this::startRead);
        }
    }

    // ------------------------------------------------------------------ reads and lease

    private void startRead(long requestId) {
        rounds.addRead(requestId, commit);
        if (replication.hasVoterFollowers()) {
            heartbeatRequested = true; // ready() starts the round that confirms it
        } else {
            rounds.start(now); // a single voter is its own quorum
            rounds.confirm(replication::echoes, membership.quorum(), readStates);
        }
    }

    /**
     * Tick at which this leader sent the latest heartbeat that a quorum (this node included)
     * acknowledged, or -1. The driver maps it to wall-clock time for a real-time lease.
     */
    public long leaseStartTick() {
        // Without check-quorum voters are not sticky, so no lease can be promised.
        if (role != Role.LEADER || transferee != null || timeoutNowSent || !config.checkQuorum() || !leaseWaitOver()) {
            return -1;
        }
        return replication.quorumEchoTick(rounds, now);
    }

    /**
     * Our ticks that surely outlast {@code voterTicks} ticks of a voter's clock: a voter's tick
     * may last up to 1 / (1 - drift) of ours, and its promise ends at a tick boundary.
     */
    private long promiseToOwnTicks(long voterTicks) {
        return voterTicks == 0 ? 0 : (long) Math.ceil(voterTicks / (1 - config.maxClockDrift())) + 1;
    }

    // ------------------------------------------------------------------ transfer

    /**
     * A transfer candidate's voters ignore stickiness and owe it no promise, so TimeoutNow must
     * not leave while a promise broken for this leader's own election (crash-fast detection) may
     * still protect the previous leader's lease; until then the transfer waits (and its timer
     * does not run), and a heartbeat response sends it later.
     */
    private void maybeSendTimeoutNow(Progress pr) {
        if (leaseWaitOver()) {
            sendTimeoutNow(pr.id);
        }
    }

    /** Whether any promise broken to elect this leader has surely run out (see {@link #leaseNotBeforeTick}). */
    private boolean leaseWaitOver() {
        return now >= leaseNotBeforeTick;
    }

    private void sendTimeoutNow(String target) {
        timeoutNowSent = true;
        transfereeTimedOut = true;
        send(new TimeoutNow(id, target, term));
    }

    private void abandonTransfer() {
        if (timeoutNowSent) {
            // The target may be campaigning past stickiness; our lease is gone for this term,
            // so let a normal election pick the next leader.
            LOG.log(Level.INFO, "{0}: term {1}: transfer to {2} did not complete, stepping down", id, term, transferee);
            becomeFollower(term, null);
        } else {
            LOG.log(Level.INFO, "{0}: term {1}: transfer to {2} abandoned, {2} did not catch up", id, term, transferee);
            transferee = null;
        }
    }

    // ------------------------------------------------------------------ helpers

    private void send(Message m) {
        messages.add(m);
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
