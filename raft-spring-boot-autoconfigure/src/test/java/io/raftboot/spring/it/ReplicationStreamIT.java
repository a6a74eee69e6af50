package io.raftboot.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftboot.spring.grpc.GrpcTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A three-node cluster whose leader sends AppendEntries on one Replicate stream per follower: a
 * follower that stops loses its stream; restarted, it gets a new one, and the cluster keeps one
 * leader throughout.
 */
class ReplicationStreamIT {

    @TempDir
    static Path dir;

    static RaftTestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new RaftTestCluster(3, dir, TestNodeApp.class)
                .with("raft.election-timeout", "1500ms")
                .with("raft.heartbeat-interval", "150ms")
                .startAll();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aRestartedFollowerGetsANewStreamAndTheClusterKeepsOneLeader() {
        String leader = cluster.awaitAgreedLeader(Duration.ofSeconds(20));
        List<String> followers =
                cluster.running().stream().filter(id -> !id.equals(leader)).toList();
        awaitStreaming(leader, followers);

        String restarted = followers.get(0);
        cluster.close(restarted);
        assertThat(cluster.awaitAgreedLeader(Duration.ofSeconds(20))).isEqualTo(leader);
        await().atMost(Duration.ofSeconds(20)).until(() -> !transport(leader).isStreaming(restarted));

        cluster.start(restarted);
        String after = cluster.awaitAgreedLeader(Duration.ofSeconds(30));
        awaitStreaming(
                after,
                cluster.running().stream().filter(id -> !id.equals(after)).toList());
        assertThat(cluster.running().stream()
                        .filter(id -> cluster.leadership(id).isLeader()))
                .as("leaders")
                .hasSize(1);
    }

    private static void awaitStreaming(String leader, List<String> followers) {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> followers.stream().allMatch(f -> transport(leader).isStreaming(f)));
    }

    private static GrpcTransport transport(String id) {
        return cluster.bean(id, GrpcTransport.class);
    }
}
