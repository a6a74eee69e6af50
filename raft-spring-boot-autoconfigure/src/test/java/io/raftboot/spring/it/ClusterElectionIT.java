package io.raftboot.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        assertThat(leader).isIn("n1", "n2", "n3");
        long term = cluster.leadership(leader).term();
        for (String id : cluster.running()) {
            assertThat(cluster.leadership(id).term()).isEqualTo(term);
            assertThat(cluster.leadership(id).isLeader()).isEqualTo(id.equals(leader));
        }
    }
}
