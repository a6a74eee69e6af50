package io.raftboot.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftboot.spring.config.ReplicatedConfig;
import io.raftboot.spring.grpc.security.RefusalReason;
import io.raftboot.spring.grpc.security.RequestRefusals;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A member started with another election timeout is told apart from a stale one: the others
 * refuse its requests and it refuses theirs ({@code settings-mismatch}), so it never takes part
 * in an election or a lease whose assumptions it breaks; the two that agree carry on.
 */
class SettingsMismatchIT extends AutoConfiguredClusterIT {

    @Test
    void aMemberWithAnotherElectionTimeoutIsRefusedAndTheOthersCarryOn() throws Exception {
        newCluster(3);
        cluster.start("n1");
        cluster.start("n2");
        cluster.start("n3", "raft.election-timeout=450ms");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (String id : List.of("n1", "n2", "n3")) {
                assertThat(cluster.bean(id, RequestRefusals.class).count(RefusalReason.SETTINGS_MISMATCH))
                        .as("settings-mismatch refusals on " + id)
                        .isPositive();
            }
        });
        // n1 and n2 agree on a leader among themselves; n3 follows nobody.
        String leader = await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> List.of("n1", "n2").stream()
                                .filter(id -> cluster.leadership(id).isLeader())
                                .filter(id -> cluster.leadership(id.equals("n1") ? "n2" : "n1")
                                        .leaderId()
                                        .filter(id::equals)
                                        .isPresent())
                                .findFirst(),
                        java.util.Optional::isPresent)
                .orElseThrow();
        cluster.bean(leader, ReplicatedConfig.class).put("k", "v").get(5, TimeUnit.SECONDS);
        assertThat(cluster.leadership("n3").leaderId()).isEmpty();
        assertThat(cluster.bean("n3", ReplicatedConfig.class).get("k")).isEmpty();
    }
}
