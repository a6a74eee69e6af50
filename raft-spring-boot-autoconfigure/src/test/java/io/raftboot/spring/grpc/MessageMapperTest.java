package io.raftboot.spring.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftboot.core.log.LogEntry;
import io.raftboot.core.message.AppendEntries;
import io.raftboot.core.message.AppendResponse;
import io.raftboot.core.message.InstallSnapshot;
import io.raftboot.core.message.SnapshotResponse;
import io.raftboot.core.message.TimeoutNow;
import io.raftboot.core.message.VoteRequest;
import io.raftboot.core.message.VoteResponse;
import io.raftboot.core.node.Membership;
import io.raftboot.core.storage.Snapshot;
import io.raftboot.proto.HBeat;
import io.raftboot.proto.ReqVote;
import io.raftboot.spring.autoconfigure.ClusterSettingsValidator;
import io.raftboot.spring.autoconfigure.RaftProperties;
import io.raftboot.spring.cluster.ClusterSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every core message survives the trip through raft.proto, and carries cluster id and sender. */
class MessageMapperTest {

    @TempDir
    Path data;

    MessageMapper mapper() {
        RaftProperties p = new RaftProperties();
        p.setNodeId("a");
        p.setClusterId("c1");
        p.getPeers().put("a", "h1:1");
        p.getPeers().put("b", "h2:2");
        p.getPeers().put("c", "h3:3");
        p.setLearners(Set.of("c"));
        p.setDataDir(data);
        ClusterSettings settings = ClusterSettingsValidator.validate(p);
        return new MessageMapper(settings, () -> 42);
    }

    @Test
    void requestsRoundTripAndCarryTheSeedFields() {
        MessageMapper m = mapper();
        AppendEntries ae = new AppendEntries(
                "a",
                "b",
                7,
                10,
                6,
                List.of(
                        new LogEntry(11, 7, io.raftboot.core.log.EntryType.NORMAL, new byte[] {1, 2}),
                        LogEntry.noop(12, 7)),
                9,
                33);
        HBeat hbeat = m.toProto(ae);
        assertThat(hbeat.getClusterId()).isEqualTo("c1");
        assertThat(hbeat.getLeaderId()).isEqualTo("a");
        assertThat(hbeat.getVersion()).isEqualTo(42);
        assertThat(m.fromProto(hbeat)).isEqualTo(ae);

        VoteRequest vr = new VoteRequest("a", "b", 8, 12, 7, true, true);
        ReqVote reqVote = m.toProto(vr);
        assertThat(reqVote.getCandidateId()).isEqualTo("a");
        assertThat(reqVote.getUrl()).isEqualTo("h1:1");
        assertThat(reqVote.getLastVersion()).isEqualTo(42);
        assertThat(m.fromProto(reqVote)).isEqualTo(vr);

        TimeoutNow tn = new TimeoutNow("a", "b", 8);
        assertThat(m.fromProto(m.toProto(tn))).isEqualTo(tn);

        Snapshot s = new Snapshot(20, 6, new Membership(Set.of("a", "b"), Set.of("c")), new byte[] {9, 8, 7});
        InstallSnapshot is = new InstallSnapshot("a", "c", 8, s);
        assertThat(m.toProto(is).getLearners(0).getUrl()).isEqualTo("h3:3");
        assertThat(m.fromProto(m.toProto(is))).isEqualTo(is);
    }

    @Test
    void responsesRoundTrip() {
        MessageMapper m = mapper();
        AppendResponse ar = new AppendResponse("b", "a", 7, false, 10, 4, 3, 33);
        assertThat(m.fromProto(m.toProto(ar))).isEqualTo(ar);
        VoteResponse vr = new VoteResponse("b", "a", 8, true, true);
        assertThat(m.fromProto(m.toProto(vr))).isEqualTo(vr);
        SnapshotResponse sr = new SnapshotResponse("c", "a", 8, 20);
        assertThat(m.fromProto(m.toProto(sr))).isEqualTo(sr);
        // A stale-term refusal of a snapshot travels back as an unsuccessful return.
        AppendResponse refusal = new AppendResponse("c", "a", 9, false, 0, 0, 0, 0);
        assertThat(m.fromProto(m.toSnapshotReturn(refusal))).isEqualTo(refusal);
    }
}
