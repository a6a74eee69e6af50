package io.raftboot.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.raftboot.proto.HBeat;
import io.raftboot.proto.RaftGrpc;
import io.raftboot.proto.ReqVote;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests from another cluster or an unknown node are refused. */
class ClusterMembershipIT {

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
    void aNodeWithAnotherClusterIdIsRefusedAndNeverJoins() {
        cluster = new RaftTestCluster(3, data, TestNodeApp.class);
        cluster.start("n1");
        cluster.start("n2");
        cluster.start("n3", "raft.cluster-id=other");

        String leader = org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(
                        () -> cluster.leadership("n1").isLeader()
                                ? "n1"
                                : cluster.leadership("n2").isLeader() ? "n2" : null,
                        java.util.Objects::nonNull);
        // Long enough for several heartbeats and for n3 to campaign on its own.
        org.awaitility.Awaitility.await()
                .during(Duration.ofMillis(1500))
                .atMost(Duration.ofSeconds(3))
                .until(() -> cluster.leadership("n3").leaderId().isEmpty()
                        && !cluster.leadership("n3").isLeader());
        assertThat(cluster.leadership(leader).isLeader()).isTrue();
        assertThat(cluster.bean(leader, io.raftboot.spring.grpc.PeerContacts.class)
                        .isReachable("n3"))
                .isFalse();
    }

    @Test
    void theServerAnswersPermissionDeniedToAnotherClusterAndToUnknownSenders() {
        cluster = new RaftTestCluster(3, data, TestNodeApp.class);
        cluster.start("n1");
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", cluster.grpcPort("n1"))
                .usePlaintext()
                .build();
        try {
            RaftGrpc.RaftBlockingStub stub = RaftGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
            assertThatThrownBy(() -> stub.heartbeat(HBeat.newBuilder()
                            .setClusterId("other")
                            .setFrom("n2")
                            .setTo("n1")
                            .setTerm(9)
                            .build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                        assertThat(e.getStatus().getDescription())
                                .contains("cluster 'other'")
                                .contains("raft.cluster-id");
                    });
            assertThatThrownBy(() -> stub.requestVote(ReqVote.newBuilder()
                            .setClusterId("it")
                            .setFrom("intruder")
                            .setTo("n1")
                            .setTerm(9)
                            .build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                        assertThat(e.getStatus().getDescription())
                                .contains("'intruder'")
                                .contains("raft.peers");
                    });
            // The refused requests changed nothing: n1 did not adopt term 9.
            assertThat(cluster.leadership("n1").term()).isLessThan(9);
        } finally {
            channel.shutdownNow();
        }
    }
}
