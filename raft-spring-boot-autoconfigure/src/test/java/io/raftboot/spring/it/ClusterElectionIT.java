package io.raftboot.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three Spring Boot nodes over real gRPC on loopback: election, failover, graceful handoff. */
class ClusterElectionIT {

    @TempDir
    Path data;

    private RaftTestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void threeNodesElectOneLeaderThatAllAgreeOn() {
        cluster = new RaftTestCluster(3, data, TestNodeApp.class).startAll();
        String leader = cluster.awaitAgreedLeader(Duration.ofSeconds(10));
        long term = cluster.leadership(leader).term();
        for (String id : cluster.running()) {
            assertThat(cluster.leadership(id).term()).isEqualTo(term);
            assertThat(cluster.leadership(id).isLeader()).isEqualTo(id.equals(leader));
            assertThat(cluster.leadership(id).leaderUrl()).contains("127.0.0.1:" + cluster.grpcPort(leader));
        }
    }

    @Test
    void aLeaderClosedWithoutHandoffIsReplacedByANewLeader() {
        cluster = new RaftTestCluster(3, data, TestNodeApp.class)
                .with("raft.shutdown.handoff-timeout", "0s")
                .startAll();
        String leader = cluster.awaitAgreedLeader(Duration.ofSeconds(10));
        long term = cluster.leadership(leader).term();

        cluster.close(leader);

        String next = cluster.awaitAgreedLeader(Duration.ofSeconds(10));
        assertThat(next).isNotEqualTo(leader);
        assertThat(cluster.leadership(next).term()).isGreaterThan(term);
    }

    /**
     * With a 2 s election timeout, survivors of an abrupt stop elect a new leader only after at
     * least 2 s of silence (and refuse votes for 2 s after the last heartbeat); a new leader well
     * within that can only come from the leader's handoff (crash-fast detection, which could also
     * be that quick, is off here; see CrashDetectionIT).
     */
    @Test
    void aLeaderClosedGracefullyHandsLeadershipToAnotherNode() {
        cluster = new RaftTestCluster(3, data, TestNodeApp.class)
                .with("raft.election-timeout", "2s")
                .with("raft.shutdown.handoff-timeout", "3s")
                .with("raft.crash-detection", "false")
                .startAll();
        String leader = cluster.awaitAgreedLeader(Duration.ofSeconds(15));
        long term = cluster.leadership(leader).term();

        cluster.close(leader);

        String next = cluster.awaitAgreedLeader(Duration.ofMillis(1500));
        assertThat(next).isNotEqualTo(leader);
        assertThat(cluster.leadership(next).term()).isEqualTo(term + 1);
    }
}
