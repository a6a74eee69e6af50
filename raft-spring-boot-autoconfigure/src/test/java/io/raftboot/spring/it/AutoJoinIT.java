package io.raftboot.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftboot.spring.config.ReplicatedConfig;
import io.raftboot.spring.membership.Members;
import io.raftboot.spring.membership.MembershipService;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * raft.membership.auto-join on real nodes over gRPC, with raft.auth.secret proving the joiner's
 * id: a node started as a learner of raft.peers, as a StatefulSet pod beyond the bootstrap
 * replicas is, becomes a voter with no operator call; and a node that joins later reaches a
 * leader that none of its settings name (one that itself joined at runtime).
 */
class AutoJoinIT extends AutoConfiguredClusterIT {

    private static final String SECRET = "auto-join-it-secret-0123456789abcdef";

    private Optional<Members.Role> roleOf(String observer, String id) {
        return cluster.bean(observer, MembershipService.class).members().members().stream()
                .filter(m -> m.id().equals(id))
                .map(Members.Member::role)
                .findFirst();
    }

    @Test
    void nodesThatAskToJoinBecomeVotersEvenUnderALeaderTheyWereNeverConfiguredWith() throws Exception {
        newCluster(3)
                .with("raft.auth.secret", SECRET)
                .with("raft.membership.auto-join", "true")
                .startAll();
        String leader = cluster.awaitAgreedLeader(Duration.ofSeconds(10));
        cluster.bean(leader, ReplicatedConfig.class).put("before", "1").get(5, TimeUnit.SECONDS);

        cluster.join("n4");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (String id : List.of("n1", "n2", "n3", "n4")) {
                assertThat(roleOf(id, "n4")).as("n4's role on " + id).contains(Members.Role.VOTER);
            }
            assertThat(cluster.bean("n4", ReplicatedConfig.class).get("before")).contains("1");
        });

        // n4 leads; n5's raft.peers name n1 to n3 and itself only. It learns n4 from the answer
        // to its join request, so it admits n4's AppendEntries.
        cluster.leadership(cluster.awaitAgreedLeader(Duration.ofSeconds(10)))
                .transferLeadership("n4")
                .get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(cluster.agreedLeader()).contains("n4"));
        cluster.join("n5");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (String id : List.of("n1", "n2", "n3", "n4", "n5")) {
                assertThat(roleOf(id, "n5")).as("n5's role on " + id).contains(Members.Role.VOTER);
            }
            assertThat(cluster.bean("n5", ReplicatedConfig.class).get("before")).contains("1");
        });
        cluster.bean("n5", ReplicatedConfig.class).put("after", "2").get(10, TimeUnit.SECONDS);
        assertThat(cluster.bean("n4", ReplicatedConfig.class).get("after")).contains("2");
    }

    @Test
    void aClusterWithAutoJoinOffAddsNobody() throws Exception {
        newCluster(3).with("raft.auth.secret", SECRET).startAll();
        String leader = cluster.awaitAgreedLeader(Duration.ofSeconds(10));

        cluster.join("n4", "raft.membership.auto-join=true");

        // The joiner asks every second; give it a few tries, then check nothing changed.
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(roleOf(leader, "n4")).isEmpty());
    }
}
