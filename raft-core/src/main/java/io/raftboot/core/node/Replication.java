package io.raftboot.core.node;

import io.raftboot.core.log.LogEntry;
import io.raftboot.core.log.RaftLog;
import io.raftboot.core.message.AppendEntries;
import io.raftboot.core.message.InstallSnapshot;
import io.raftboot.core.message.Message;
import io.raftboot.core.storage.Snapshot;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The leader's side of log replication (§5.3) for one term: a {@link Progress} per follower,
 * the appends, snapshots and heartbeats sent to them, retransmission of what was probably lost,
 * and the quorum counts over their acknowledgements (commit index, check-quorum, ReadIndex,
 * lease). Created when a node becomes leader, dropped when it stops leading.
 */
final class Replication {

    private static final System.Logger LOG = System.getLogger(Replication.class.getName());

    private final String leaderId;
    private final long term;
    private final ProtocolSettings config;
    private final Configurations configs;
    private final RaftLog log;
    private final Consumer<Message> out;
    private final TreeMap<String, Progress> followers = new TreeMap<>();

    Replication(
            String leaderId,
            long term,
            ProtocolSettings config,
            Configurations configs,
            RaftLog log,
            long now,
            Consumer<Message> out) {
        this.leaderId = leaderId;
        this.term = term;
        this.config = config;
        this.configs = configs;
        this.log = log;
        this.out = out;
        membershipChanged(now);
    }

    /**
     * Keeps a {@link Progress} for every member of the latest configuration but this node: a new
     * member starts probing from the end of our log, a removed one is dropped, a promoted or
     * demoted one counts (or stops counting) toward quorums at once (thesis §4.1).
     */
    void membershipChanged(long now) {
        Membership m = configs.current();
        followers.keySet().removeIf(id -> !m.contains(id));
        for (String peer : m.all()) {
            if (peer.equals(leaderId)) {
                continue;
            }
            Progress pr = followers.get(peer);
            if (pr == null) {
                followers.put(peer, new Progress(peer, m.isVoter(peer), log.lastIndex() + 1, now));
            } else {
                pr.voter = m.isVoter(peer);
            }
        }
    }

    Progress follower(String id) {
        return followers.get(id);
    }

    Collection<Progress> followers() {
        return followers.values();
    }

    boolean hasVoterFollowers() {
        return followers.values().stream().anyMatch(p -> p.voter);
    }

    /** Sends the next batch of entries (or a snapshot) to {@code pr}, unless flow control pauses it. */
    void sendAppend(Progress pr, long commit, long round, long now) {
        if (pr.paused(config.maxInflightAppends())) {
            return;
        }
        long prevIndex = pr.next - 1;
        long prevTerm = log.term(prevIndex);
        if (pr.next < log.firstIndex() || prevTerm < 0) {
            sendSnapshot(pr, now);
            return;
        }
        List<LogEntry> entries = log.slice(pr.next, log.lastIndex(), config.maxEntriesPerAppend());
        if (entries.isEmpty() && pr.state == Progress.State.REPLICATE) {
            return; // nothing new; heartbeats keep the follower informed
        }
        out.accept(new AppendEntries(leaderId, pr.id, term, prevIndex, prevTerm, entries, commit, round));
        pr.commitSent = Math.max(pr.commitSent, Math.min(commit, prevIndex + entries.size()));
        if (pr.state == Progress.State.REPLICATE) {
            if (pr.inflight.isEmpty()) {
                pr.lastProgressTick = now;
            }
            long last = prevIndex + entries.size();
            pr.inflight.addLast(last);
            pr.next = last + 1;
        } else {
            pr.probeSent = true;
            pr.lastProgressTick = now;
        }
    }

    void sendAppends(long commit, long round, long now) {
        for (Progress pr : followers.values()) {
            sendAppend(pr, commit, round, now);
        }
    }

    /** §7: the follower needs entries we compacted away; send the snapshot (whole). */
    private void sendSnapshot(Progress pr, long now) {
        Snapshot s = log.snapshot();
        pr.state = Progress.State.SNAPSHOT;
        pr.inflight.clear();
        pr.lastProgressTick = now;
        LOG.log(Level.DEBUG, "{0}: term {1}: sending snapshot up to {2} to {3}", leaderId, term, s.lastIndex(), pr.id);
        out.accept(new InstallSnapshot(leaderId, pr.id, term, s));
    }

    /**
     * Heartbeat round {@code round}: an empty AppendEntries anchored at each follower's known
     * match, so it never fails spuriously while appends are in flight.
     */
    void sendHeartbeats(long commit, long round) {
        for (Progress pr : followers.values()) {
            sendEmptyAppend(pr, commit, round);
        }
    }

    /** Whether a follower that replicates normally could learn more of {@code commit} than we told it. */
    boolean commitNoticeDue(Progress pr, long commit) {
        return pr.state == Progress.State.REPLICATE && Math.min(pr.match, commit) > pr.commitSent;
    }

    /**
     * Tells the followers that replicate normally about the commit index at once, instead of
     * with the next heartbeat, so they apply a committed write within a round trip; also a
     * follower whose acknowledgement arrived after the commit. Part of no new heartbeat round
     * (it echoes {@code round}, already under way).
     */
    void sendCommit(long commit, long round) {
        for (Progress pr : followers.values()) {
            if (commitNoticeDue(pr, commit)) {
                sendEmptyAppend(pr, commit, round);
            }
        }
    }

    private void sendEmptyAppend(Progress pr, long commit, long round) {
        long prev = pr.match;
        long prevTerm = log.term(prev);
        if (prevTerm < 0) {
            prev = log.snapshotIndex();
            prevTerm = log.term(prev);
        }
        out.accept(new AppendEntries(leaderId, pr.id, term, prev, prevTerm, List.of(), commit, round));
        pr.commitSent = Math.max(pr.commitSent, Math.min(commit, prev));
    }

    /** Appends or snapshots that got no answer for a while were probably lost: probe again. */
    void retransmitStalled(long commit, long round, long now) {
        int stallTicks = Math.max(2 * config.heartbeatTicks(), config.electionTicks() / 3);
        for (Progress pr : followers.values()) {
            long quiet = now - pr.lastProgressTick;
            switch (pr.state) {
                case PROBE -> {
                    if (pr.probeSent && quiet >= stallTicks) {
                        pr.probeSent = false;
                    }
                }
                case REPLICATE -> {
                    if (pr.match < log.lastIndex() && quiet >= stallTicks) {
                        pr.becomeProbe();
                    }
                }
                case SNAPSHOT -> {
                    if (quiet >= config.electionTicks()) {
                        pr.becomeProbe();
                    }
                }
            }
            sendAppend(pr, commit, round, now);
        }
    }

    /** §5.3: the highest index stored on a quorum of voters, this node's durable log included. */
    long quorumMatch(long leaderStableIndex) {
        List<Long> matches = new ArrayList<>();
        if (configs.current().isVoter(leaderId)) {
            matches.add(leaderStableIndex);
        }
        for (Progress pr : followers.values()) {
            if (pr.voter) {
                matches.add(pr.match);
            }
        }
        matches.sort((a, b) -> Long.compare(b, a));
        return matches.get(configs.current().quorum() - 1);
    }

    /** Voters heard from within {@link ProtocolSettings#checkQuorumTicks()}, this node included (check-quorum). */
    int activeVoters(long now) {
        int active = configs.current().isVoter(leaderId) ? 1 : 0;
        for (Progress pr : followers.values()) {
            if (pr.voter && now - pr.lastResponseTick < config.checkQuorumTicks()) {
                active++;
            }
        }
        return active;
    }

    /**
     * The first tick after {@code now} at which {@link #activeVoters} drops below {@code quorum}
     * if nothing more is heard, or {@link Long#MAX_VALUE} if it never does (this node alone is a
     * quorum). A voter last heard at tick h stops counting at tick h + checkQuorumTicks.
     */
    long quorumLostTick(long now, int quorum) {
        int active = configs.current().isVoter(leaderId) ? 1 : 0;
        List<Long> lapses = new ArrayList<>();
        for (Progress pr : followers.values()) {
            long lapse = pr.lastResponseTick + config.checkQuorumTicks();
            if (pr.voter && lapse > now) {
                active++;
                lapses.add(lapse);
            }
        }
        if (active < quorum) {
            return now + 1;
        }
        int mustLapse = active - quorum + 1;
        if (mustLapse > lapses.size()) {
            return Long.MAX_VALUE;
        }
        lapses.sort(Long::compare);
        return lapses.get(mustLapse - 1);
    }

    /** Voters, this node included, that echoed heartbeat round {@code round} or a later one. */
    int echoes(long round) {
        int acks = configs.current().isVoter(leaderId) ? 1 : 0;
        for (Progress pr : followers.values()) {
            if (pr.voter && pr.ackedSeq >= round) {
                acks++;
            }
        }
        return acks;
    }

    /** Send tick of the latest heartbeat round a quorum (this node included) echoed, or -1. */
    long quorumEchoTick(HeartbeatRounds rounds, long now) {
        List<Long> sendTicks = new ArrayList<>();
        if (configs.current().isVoter(leaderId)) {
            sendTicks.add(now);
        }
        for (Progress pr : followers.values()) {
            long sent = pr.voter ? rounds.sentTick(pr.ackedSeq) : -1;
            if (sent >= 0) {
                sendTicks.add(sent);
            }
        }
        if (sendTicks.size() < configs.current().quorum()) {
            return -1;
        }
        sendTicks.sort((a, b) -> Long.compare(b, a));
        return sendTicks.get(configs.current().quorum() - 1);
    }

    /**
     * The successor for a handoff (thesis §3.10): the voter with the longest matching log among
     * those that answered within the last two heartbeat intervals (ties: lowest id), else among
     * all voters. A voter that stopped answering (a follower that was stopped a moment before
     * the leader) would never campaign on TimeoutNow, and the handoff would only cost its
     * timeout.
     */
    Progress mostUpToDateVoter(long now) {
        Progress best = null;
        boolean bestRecent = false;
        for (Progress pr : followers.values()) {
            if (!pr.voter) {
                continue;
            }
            boolean recent = now - pr.lastResponseTick <= 2L * config.heartbeatTicks();
            if (best == null || (recent && !bestRecent) || (recent == bestRecent && pr.match > best.match)) {
                best = pr;
                bestRecent = recent;
            }
        }
        return best;
    }
}
