package io.raftboot.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftboot.core.loop.RaftLoop;
import io.raftboot.core.loop.RaftStatus;
import io.raftboot.core.storage.FileStorage;
import io.raftboot.core.storage.HardState;
import io.raftboot.core.storage.PersistentState;
import io.raftboot.spring.config.ReplicatedConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node restarted on the same data directory keeps its term, vote, log and config. */
class RestartIT {

    @TempDir
    Path data;

    @Test
    void aNodeRestartedOnItsDataDirectoryKeepsTermVoteLogAndConfig() throws Exception {
        try (RaftTestCluster cluster = new RaftTestCluster(3, data, TestNodeApp.class)
                .with("raft.shutdown.handoff-timeout", "0s")
                .startAll()) {
            String leader = cluster.awaitAgreedLeader(Duration.ofSeconds(10));
            ReplicatedConfig config = cluster.bean(leader, ReplicatedConfig.class);
            config.put("a", "1").get(5, TimeUnit.SECONDS);
            config.put("b", "2").get(5, TimeUnit.SECONDS);
            long configVersion = config.put("a", "3").get(5, TimeUnit.SECONDS).configVersion();
            String node = cluster.aFollower(leader);
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> cluster.bean(node, ReplicatedConfig.class).configVersion() == configVersion);
            RaftStatus before = cluster.bean(node, RaftLoop.class).status();

            cluster.close(); // the whole cluster: the restarted node then has nobody to learn from
            PersistentState onDisk;
            try (FileStorage storage = new FileStorage(data.resolve(node), node, "it")) {
                onDisk = storage.load();
            }
            HardState hard = onDisk.hardState();
            assertThat(hard.term()).isEqualTo(before.term());
            assertThat(hard.votedFor()).isNotNull();

            cluster.start(node);
            RaftStatus after = cluster.bean(node, RaftLoop.class).status();
            assertThat(after.term()).isGreaterThanOrEqualTo(before.term());
            assertThat(after.lastIndex()).isEqualTo(before.lastIndex());
            ReplicatedConfig restarted = cluster.bean(node, ReplicatedConfig.class);
            // Re-applied from its own log (up to its durable commit index): nobody else is up.
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> restarted.configVersion() == configVersion);
            assertThat(restarted.getAll(""))
                    .containsExactly(java.util.Map.entry("a", "3"), java.util.Map.entry("b", "2"));
            assertThat(restarted
                            .getEntry("a", io.raftboot.spring.config.ReadConsistency.LOCAL)
                            .orElseThrow()
                            .version())
                    .isEqualTo(2);
        }
    }
}
