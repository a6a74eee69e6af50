package io.raftboot.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.raftboot.core.node.NotLeaderException;
import io.raftboot.spring.actuator.RaftStatusReporter;
import io.raftboot.spring.actuator.RaftStatusView;
import io.raftboot.spring.config.ReplicatedConfig;
import io.raftboot.spring.membership.Members;
import io.raftboot.spring.membership.MembershipService;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Membership changes on real nodes over gRPC: a new node joins a running cluster with nothing but
 * its own settings, catches up, becomes a voter; a member is removed and the rest carry on.
 */
class MembershipChangeIT extends AutoConfiguredClusterIT {

    private MembershipService membership(String id) {
        return cluster.bean(id, MembershipService.class);
    }

    private ReplicatedConfig config(String id) {
        return cluster.bean(id, ReplicatedConfig.class);
    }

    private static Optional<Members.Role> roleOf(Members members, String id) {
        return members.members().stream()
                .filter(m -> m.id().equals(id))
                .map(Members.Member::role)
                .findFirst();
    }

    @Test
    void aNewNodeJoinsAsAVoterAndARemovedMemberIsNoLongerNeeded() throws Exception {
        newCluster(3).startAll();
        String leader = cluster.awaitAgreedLeader(Duration.ofSeconds(10));
        config(leader).put("before", "1").get(5, TimeUnit.SECONDS);

        cluster.join("n4");
        long index = membership(leader)
                .addVoter("n4", "127.0.0.1:" + cluster.grpcPort("n4"))
                .get(30, TimeUnit.SECONDS);

        assertThat(index).isPositive();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (String id : List.of("n1", "n2", "n3", "n4")) {
                assertThat(roleOf(membership(id).members(), "n4")).as(id).contains(Members.Role.VOTER);
                assertThat(config(id).get("before")).as(id).contains("1");
            }
        });
        assertThat(cluster.leadership("n4").leaderId()).contains(leader);
        RaftStatusView view = cluster.bean(leader, RaftStatusReporter.class).status();
        assertThat(view.members())
                .extracting(RaftStatusView.Member::id, RaftStatusView.Member::role)
                .contains(org.assertj.core.groups.Tuple.tuple("n4", "voter"));
        assertThat(view.membershipIndex()).isGreaterThanOrEqualTo(index);

        // Remove a follower that is not n4, stop it: the three voters left carry on.
        String gone = List.of("n1", "n2", "n3").stream()
                .filter(id -> !id.equals(leader))
                .findFirst()
                .orElseThrow();
        membership(leader).remove(gone).get(10, TimeUnit.SECONDS);
        cluster.close(gone);
        config("n4").put("after", "2").get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (String id : cluster.running()) {
                assertThat(config(id).get("after")).as(id).contains("2");
                assertThat(membership(id).members().members())
                        .as(id)
                        .extracting(Members.Member::id)
                        .doesNotContain(gone);
            }
        });
    }

    @Test
    void aChangeOnAFollowerOrOneThatCannotApplyFailsAndSaysWhy() throws Exception {
        newCluster(3).startAll();
        String leader = cluster.awaitAgreedLeader(Duration.ofSeconds(10));
        String follower = cluster.aFollower(leader);

        assertThatThrownBy(() -> membership(follower).remove("n3").get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(NotLeaderException.class);
        assertThatThrownBy(() -> membership(leader).promote(follower).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasRootCauseInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already a voter");
        assertThatThrownBy(() -> membership(leader).addLearner("n9", "not-an-address"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host:port");
    }
}
