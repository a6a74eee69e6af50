package io.raftboot.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftboot.core.loop.RaftLoop;
import io.raftboot.spring.config.ReplicatedConfig;
import io.raftboot.spring.grpc.RaftGrpcServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Raft on the starter's own gRPC server (raft.server.mode=own), beside an idle net.devh server
 * on another port: three nodes elect, replicate, and a stopping leader hands over while its
 * server still answers (the server stops after the handoff, not before: with one follower
 * stopped, the successor needs the stopping leader's own vote).
 */
@ExtendWith(OutputCaptureExtension.class)
class OwnServerIT extends AutoConfiguredClusterIT {

    @Test
    void threeNodesOnTheirOwnServersElectReplicateAndHandOverOnStop(CapturedOutput output) throws Exception {
        newCluster(3)
                .with("raft.server.mode", "own")
                .with("raft.server.address", "127.0.0.1")
                .with("grpc.server.port", "0")
                .startAll();
        for (String id : List.of("n1", "n2", "n3")) {
            assertThat(cluster.bean(id, RaftGrpcServer.class).port()).isEqualTo(cluster.grpcPort(id));
        }
        String leader = cluster.awaitAgreedLeader(Duration.ofSeconds(10));
        cluster.bean(leader, ReplicatedConfig.class).put("k", "v").get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            for (String id : List.of("n1", "n2", "n3")) {
                assertThat(cluster.bean(id, ReplicatedConfig.class).get("k"))
                        .as(id)
                        .contains("v");
            }
        });

        // Stop a follower first: the successor then needs the stopping leader's own vote, which
        // only a server still running during the handoff can give.
        String follower = cluster.aFollower(leader);
        cluster.close(follower);
        // The leader hands over to a voter that still answers once it stopped hearing this one.
        await().atMost(Duration.ofSeconds(5))
                .until(() -> cluster.bean(leader, RaftLoop.class).status().peers().stream()
                        .filter(p -> p.id().equals(follower))
                        .allMatch(p -> p.lastContactMillis() > 200));
        String successor = List.of("n1", "n2", "n3").stream()
                .filter(id -> !id.equals(leader) && !id.equals(follower))
                .findFirst()
                .orElseThrow();
        java.util.concurrent.atomic.AtomicBoolean led = new java.util.concurrent.atomic.AtomicBoolean();
        cluster.bean(successor, RaftLoop.class).addListener(new io.raftboot.core.loop.RaftListener() {
            @Override
            public void onStateChange(
                    io.raftboot.core.loop.RaftStatus previous, io.raftboot.core.loop.RaftStatus current) {
                if (current.role() == io.raftboot.core.node.Role.LEADER) {
                    led.set(true);
                }
            }
        });
        int before = output.getAll().length();

        cluster.close(leader);

        assertThat(output.getAll().substring(before)).contains("Node " + leader + " handed leadership to " + successor);
        assertThat(led).as(successor + " won the election the handoff started").isTrue();
    }
}
