package io.raftboot.spring.grpc;

import com.google.protobuf.ByteString;
import io.raftboot.core.log.EntryType;
import io.raftboot.core.log.LogEntry;
import io.raftboot.core.message.AppendEntries;
import io.raftboot.core.message.AppendResponse;
import io.raftboot.core.message.InstallSnapshot;
import io.raftboot.core.message.SnapshotResponse;
import io.raftboot.core.message.TimeoutNow;
import io.raftboot.core.message.VoteRequest;
import io.raftboot.core.message.VoteResponse;
import io.raftboot.core.node.Membership;
import io.raftboot.core.node.MembershipCodec;
import io.raftboot.core.node.RoleCandidacy;
import io.raftboot.core.storage.Snapshot;
import io.raftboot.proto.HBeat;
import io.raftboot.proto.HBeatReturn;
import io.raftboot.proto.InstallSnapshotRequest;
import io.raftboot.proto.InstallSnapshotReturn;
import io.raftboot.proto.Node;
import io.raftboot.proto.ReqVote;
import io.raftboot.proto.ReqVoteReturn;
import io.raftboot.proto.TimeoutNowRequest;
import io.raftboot.proto.TimeoutNowReturn;
import io.raftboot.spring.cluster.ClusterSettings;
import io.raftboot.spring.cluster.PeerAddress;
import io.raftboot.spring.cluster.PeerDirectory;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Maps the core's message records to and from {@code raft.proto}. Every outgoing message carries
 * the cluster id and the sender id; the seed's informational fields are filled too, so a seed
 * node decoding our bytes sees sensible values.
 */
public final class MessageMapper {

    private final ClusterSettings settings;
    private final PeerDirectory directory;
    private final LongSupplier configVersion;
    /** Sent in every request: computed once, the settings never change while the node runs. */
    private final String fingerprint;

    /**
     * @param configVersion this node's applied config version, sent in the seed's informational
     *     {@code version} / {@code last_version} fields
     */
    public MessageMapper(ClusterSettings settings, LongSupplier configVersion) {
        this(settings, new PeerDirectory(settings), configVersion);
    }

    /** @param directory where members listen, for the seed's informational url fields */
    public MessageMapper(ClusterSettings settings, PeerDirectory directory, LongSupplier configVersion) {
        this.settings = settings;
        this.fingerprint = settings.fingerprint();
        this.directory = directory;
        this.configVersion = configVersion;
    }

    public String clusterId() {
        return settings.clusterId();
    }

    ClusterSettings settings() {
        return settings;
    }

    // ------------------------------------------------------------- requests, core -> proto

    public HBeat toProto(AppendEntries m) {
        HBeat.Builder b = HBeat.newBuilder()
                .setTerm(m.term())
                .setLeaderId(m.from())
                .setVersion(configVersion.getAsLong())
                .setClusterId(settings.clusterId())
                .setFrom(m.from())
                .setTo(m.to())
                .setPrevLogIndex(m.prevLogIndex())
                .setPrevLogTerm(m.prevLogTerm())
                .setLeaderCommit(m.leaderCommit())
                .setReadSeq(m.readSeq())
                .setRoleProbeEcho(m.probeEcho())
                .putAllRoles(m.roles())
                .setSettings(fingerprint);
        for (LogEntry e : m.entries()) {
            b.addEntries(toProto(e));
        }
        return b.build();
    }

    public ReqVote toProto(VoteRequest m) {
        PeerAddress self = directory.addressOf(m.from());
        return ReqVote.newBuilder()
                .setTerm(m.term())
                .setCandidateId(m.from())
                .setUrl(self == null ? "" : self.toString())
                .setLastTerm(m.lastLogTerm())
                .setLastVersion(configVersion.getAsLong())
                .setTimestamp(System.currentTimeMillis() * 1_000_000L)
                .setClusterId(settings.clusterId())
                .setFrom(m.from())
                .setTo(m.to())
                .setLastLogIndex(m.lastLogIndex())
                .setPreVote(m.preVote())
                .setTransfer(m.transfer())
                .setSettings(fingerprint)
                .build();
    }

    public TimeoutNowRequest toProto(TimeoutNow m) {
        return TimeoutNowRequest.newBuilder()
                .setTerm(m.term())
                .setClusterId(settings.clusterId())
                .setFrom(m.from())
                .setTo(m.to())
                .setSettings(fingerprint)
                .build();
    }

    public InstallSnapshotRequest toProto(InstallSnapshot m) {
        Snapshot s = m.snapshot();
        InstallSnapshotRequest.Builder b = InstallSnapshotRequest.newBuilder()
                .setTerm(m.term())
                .setClusterId(settings.clusterId())
                .setFrom(m.from())
                .setTo(m.to())
                .setLastIncludedIndex(s.lastIndex())
                .setLastIncludedTerm(s.lastTerm())
                .setData(ByteString.copyFrom(s.data()))
                .setSettings(fingerprint);
        s.membership().voters().stream().sorted().forEach(id -> b.addVoters(node(id)));
        s.membership().learners().stream().sorted().forEach(id -> b.addLearners(node(id)));
        b.setMembership(ByteString.copyFrom(MembershipCodec.encode(s.membership())));
        return b.build();
    }

    // ------------------------------------------------------------- requests, proto -> core

    public AppendEntries fromProto(HBeat p) {
        List<LogEntry> entries = new ArrayList<>(p.getEntriesCount());
        for (io.raftboot.proto.LogEntry e : p.getEntriesList()) {
            entries.add(fromProto(e));
        }
        return new AppendEntries(
                p.getFrom(),
                p.getTo(),
                p.getTerm(),
                p.getPrevLogIndex(),
                p.getPrevLogTerm(),
                entries,
                p.getLeaderCommit(),
                p.getReadSeq(),
                p.getRoleProbeEcho(),
                p.getRolesMap());
    }

    public VoteRequest fromProto(ReqVote p) {
        return new VoteRequest(
                p.getFrom(),
                p.getTo(),
                p.getTerm(),
                p.getLastLogIndex(),
                p.getLastTerm(),
                p.getPreVote(),
                p.getTransfer());
    }

    public TimeoutNow fromProto(TimeoutNowRequest p) {
        return new TimeoutNow(p.getFrom(), p.getTo(), p.getTerm());
    }

    public InstallSnapshot fromProto(InstallSnapshotRequest p) {
        Snapshot s = new Snapshot(
                p.getLastIncludedIndex(),
                p.getLastIncludedTerm(),
                membership(p),
                p.getData().toByteArray());
        return new InstallSnapshot(p.getFrom(), p.getTo(), p.getTerm(), s);
    }

    /**
     * The snapshot's membership: the encoded one a current leader sends, else (a leader of an
     * older release) the voter and learner lists.
     *
     * @throws IllegalArgumentException if the lists or bytes are not a valid membership
     */
    static Membership membership(InstallSnapshotRequest p) {
        if (!p.getMembership().isEmpty()) {
            return MembershipCodec.decode(p.getMembership().toByteArray());
        }
        Set<String> voters = new LinkedHashSet<>();
        p.getVotersList().forEach(n -> voters.add(n.getId()));
        Set<String> learners = new LinkedHashSet<>();
        p.getLearnersList().forEach(n -> learners.add(n.getId()));
        return new Membership(voters, learners);
    }

    // ------------------------------------------------------------- responses

    public HBeatReturn toProto(AppendResponse m) {
        return HBeatReturn.newBuilder()
                .setTerm(m.term())
                .setSuccess(m.success())
                .setClusterId(settings.clusterId())
                .setFrom(m.from())
                .setTo(m.to())
                .setMatchIndex(m.matchIndex())
                .setRejectHintIndex(m.rejectHintIndex())
                .setRejectHintTerm(m.rejectHintTerm())
                .setReadSeq(m.readSeq())
                .setRoleProbe(m.probe())
                .setRolesUnavailable(!m.candidacy().available())
                .putAllRoleWeights(m.candidacy().roles())
                .putAllRolesReleased(m.candidacy().released())
                .build();
    }

    /** @throws IllegalArgumentException if a role name or weight is invalid */
    public AppendResponse fromProto(HBeatReturn p) {
        RoleCandidacy candidacy =
                p.getRoleWeightsCount() == 0 && p.getRolesReleasedCount() == 0 && !p.getRolesUnavailable()
                        ? RoleCandidacy.NONE
                        : new RoleCandidacy(
                                !p.getRolesUnavailable(),
                                new TreeMap<>(p.getRoleWeightsMap()),
                                new TreeMap<>(p.getRolesReleasedMap()));
        return new AppendResponse(
                p.getFrom(),
                p.getTo(),
                p.getTerm(),
                p.getSuccess(),
                p.getMatchIndex(),
                p.getRejectHintIndex(),
                p.getRejectHintTerm(),
                p.getReadSeq(),
                p.getRoleProbe(),
                candidacy);
    }

    public ReqVoteReturn toProto(VoteResponse m) {
        return ReqVoteReturn.newBuilder()
                .setTerm(m.term())
                .setVoteGranted(m.granted())
                .setClusterId(settings.clusterId())
                .setFrom(m.from())
                .setTo(m.to())
                .setPreVote(m.preVote())
                .setPromiseTicks(m.promiseTicks())
                .build();
    }

    /** @throws IllegalArgumentException for a negative promise (the reply is then dropped) */
    public VoteResponse fromProto(ReqVoteReturn p) {
        return new VoteResponse(
                p.getFrom(), p.getTo(), p.getTerm(), p.getVoteGranted(), p.getPreVote(), p.getPromiseTicks());
    }

    public InstallSnapshotReturn toProto(SnapshotResponse m) {
        return InstallSnapshotReturn.newBuilder()
                .setTerm(m.term())
                .setClusterId(settings.clusterId())
                .setFrom(m.from())
                .setTo(m.to())
                .setSuccess(true)
                .setMatchIndex(m.matchIndex())
                .build();
    }

    /**
     * The core answers an InstallSnapshot of a stale term with an {@link AppendResponse}
     * (success=false, its newer term); that travels as an unsuccessful InstallSnapshotReturn.
     */
    public InstallSnapshotReturn toSnapshotReturn(AppendResponse m) {
        return InstallSnapshotReturn.newBuilder()
                .setTerm(m.term())
                .setClusterId(settings.clusterId())
                .setFrom(m.from())
                .setTo(m.to())
                .setSuccess(false)
                .build();
    }

    /** The inverse of {@link #toProto(SnapshotResponse)} and {@link #toSnapshotReturn(AppendResponse)}. */
    public io.raftboot.core.message.Message fromProto(InstallSnapshotReturn p) {
        if (p.getSuccess()) {
            return new SnapshotResponse(p.getFrom(), p.getTo(), p.getTerm(), p.getMatchIndex());
        }
        return new AppendResponse(p.getFrom(), p.getTo(), p.getTerm(), false, 0, 0, 0, 0);
    }

    public TimeoutNowReturn timeoutNowAck(TimeoutNowRequest request, long term) {
        return TimeoutNowReturn.newBuilder()
                .setTerm(term)
                .setClusterId(settings.clusterId())
                .setFrom(request.getTo())
                .setTo(request.getFrom())
                .setAccepted(true)
                .build();
    }

    // ------------------------------------------------------------- parts

    private io.raftboot.proto.LogEntry toProto(LogEntry e) {
        return io.raftboot.proto.LogEntry.newBuilder()
                .setIndex(e.index())
                .setTerm(e.term())
                .setType(
                        switch (e.type()) {
                            case NORMAL -> io.raftboot.proto.EntryType.NORMAL;
                            case NOOP -> io.raftboot.proto.EntryType.NOOP;
                            case MEMBERSHIP -> io.raftboot.proto.EntryType.MEMBERSHIP;
                        })
                .setData(ByteString.copyFrom(e.data()))
                .build();
    }

    private LogEntry fromProto(io.raftboot.proto.LogEntry e) {
        EntryType type = switch (e.getType()) {
            case NORMAL -> EntryType.NORMAL;
            case NOOP -> EntryType.NOOP;
            case MEMBERSHIP -> EntryType.MEMBERSHIP;
            // A type this node does not know: applying it as a command would corrupt the store.
            case UNRECOGNIZED ->
                throw new IllegalArgumentException("log entry " + e.getIndex()
                        + " has an entry type this node does not know (" + e.getTypeValue() + "); upgrade this node");
        };
        return new LogEntry(e.getIndex(), e.getTerm(), type, e.getData().toByteArray());
    }

    private Node node(String id) {
        PeerAddress address = directory.addressOf(id);
        return Node.newBuilder()
                .setId(id)
                .setUrl(address == null ? "" : address.toString())
                .build();
    }
}
