package io.raftboot.benchmarks.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftboot.benchmarks.cluster.LeaderEvents.Event;
import io.raftboot.benchmarks.cluster.LeaderEvents.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failover scenarios read leader changes from the nodes' logs: these lines are copied from
 * real logs, so rewording a log statement in RaftNode, LeadershipTracker or the Ratis adapter's
 * pattern fails here instead of silently breaking the benchmarks.
 */
class LeaderEventsTest {

    private static final String PREFIX =
            "2026-11-26T05:10:46.307Z  INFO 11554 --- [leader-scheduler] [   raft-loop-n3] io.raftboot.core.node.RaftNode           : ";
    private static final long AT = Instant.parse("2026-11-26T05:10:46.307Z").toEpochMilli();

    @Test
    void ourLines() {
        assertThat(LeaderEvents.parse("n3", PREFIX + "n3: term 7: became LEADER"))
                .isEqualTo(new Event("n3", AT, 7, Kind.KNOWS, "n3"));
        assertThat(LeaderEvents.parse("n2", PREFIX + "n2: term 7: FOLLOWER, leader n3"))
                .isEqualTo(new Event("n2", AT, 7, Kind.KNOWS, "n3"));
        assertThat(LeaderEvents.parse("n2", PREFIX + "n2: term 7: FOLLOWER, leader null"))
                .isEqualTo(new Event("n2", AT, 7, Kind.LOST, null));
        assertThat(LeaderEvents.parse("n2", PREFIX + "n2: term 6: starting pre-vote"))
                .isEqualTo(new Event("n2", AT, 6, Kind.CAMPAIGNS, null));
        assertThat(LeaderEvents.parse("n2", PREFIX + "n2: term 7: starting election (leadership transfer)"))
                .isEqualTo(new Event("n2", AT, 7, Kind.CAMPAIGNS, null));
        assertThat(LeaderEvents.parse("n2", PREFIX + "n2: term 7: transferring leadership to n1"))
                .isEqualTo(new Event("n2", AT, 7, Kind.LOST, null));
        assertThat(LeaderEvents.parse(
                        "n2", PREFIX.replace("05:10:46.307Z", "06:10:46.307+01:00") + "n2: term 7: became LEADER"))
                .isEqualTo(new Event("n2", AT, 7, Kind.KNOWS, "n2"));
        assertThat(LeaderEvents.parse(
                        "n1",
                        PREFIX.replace("RaftNode", "LeadershipTracker")
                                + "Node n1: leadership revoked (term 2, now LEADER in term 2)"))
                .isEqualTo(new Event("n1", AT, 2, Kind.LEASE_ENDED, "n1"));
        assertThat(LeaderEvents.parse(
                        "n3",
                        PREFIX.replace("RaftNode", "LeadershipTracker") + "Node n3: leadership granted in term 7"))
                .isEqualTo(new Event("n3", AT, 7, Kind.LEASE, "n3"));
    }

    @Test
    void theLoopsEchoOfARoleChangeIsNotASecondEvent() {
        assertThat(LeaderEvents.parse(
                        "n2",
                        PREFIX.replace("node.RaftNode", "loop.RaftLoop") + "node n2: term 7: FOLLOWER, leader n3"))
                .isNull();
        assertThat(LeaderEvents.parse("n3", PREFIX + "node n3: term 7: LEADER, leader n3"))
                .isNull();
    }

    @Test
    void ratisLines() {
        String prefix =
                "2026-11-26T05:10:46.307Z INFO  [n1@group-FFA4F818865D-LeaderElection1] o.a.ratis.server.RaftServer$Division - ";
        assertThat(
                        LeaderEvents.parse(
                                "n1",
                                prefix
                                        + "n1@group-FFA4F818865D: change Leader from null to n1 at term 3 for becomeLeader, leader elected after 572ms"))
                .isEqualTo(new Event("n1", AT, 3, Kind.KNOWS, "n1"));
        assertThat(LeaderEvents.parse(
                        "n1",
                        prefix + "n1@group-FFA4F818865D: change Leader from n1 to null at term 1 for candidate:n3"))
                .isEqualTo(new Event("n1", AT, 1, Kind.LOST, null));
        assertThat(
                        LeaderEvents.parse(
                                "n1",
                                prefix
                                        + "n1@group-FFA4F818865D: changes role from  FOLLOWER to CANDIDATE at term 4 for changeToCandidate"))
                .isEqualTo(new Event("n1", AT, 4, Kind.CAMPAIGNS, null));
    }

    @Test
    void readsFromAnOffsetAndLeavesAHalfWrittenLineForLater(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("n2.log");
        Files.writeString(log, PREFIX + "n2: term 1: FOLLOWER, leader n1\n");
        long mark = LeaderEvents.mark(log);
        Files.writeString(
                log,
                PREFIX + "n2: term 2: FOLLOWER, leader n3\n" + PREFIX + "n2: term 3: became",
                java.nio.file.StandardOpenOption.APPEND);
        assertThat(LeaderEvents.read(log, "n2", mark)).containsExactly(new Event("n2", AT, 2, Kind.KNOWS, "n3"));
        assertThat(LeaderEvents.read(dir.resolve("absent.log"), "n9", 0)).isEmpty();
    }
}
