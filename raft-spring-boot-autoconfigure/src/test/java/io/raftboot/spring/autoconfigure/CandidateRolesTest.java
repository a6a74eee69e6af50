package io.raftboot.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftboot.spring.leadership.LeadershipService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.leader.Candidate;
import org.springframework.integration.leader.Context;

/** The application's own Spring Integration {@code Candidate} beans, driven by Raft (issue 16). */
class CandidateRolesTest {

    private static final Duration DEADLINE = Duration.ofSeconds(15);

    @TempDir
    static Path data;

    @Test
    void aCandidateOfANamedRoleIsGrantedThatRoleAndTheLeaderRolesCandidateRaftLeadership() {
        NamedRolesTest.node(data).withUserConfiguration(Candidates.class).run(ctx -> {
            LeadershipService leadership = ctx.getBean(LeadershipService.class);
            RecordingCandidate orders = ctx.getBean("orders", RecordingCandidate.class);
            RecordingCandidate leader = ctx.getBean("leader", RecordingCandidate.class);
            NamedRolesTest.ready(ctx, true);

            await().atMost(DEADLINE).until(() -> leadership.isLeader("orders") && !orders.granted.isEmpty());
            await().atMost(DEADLINE).until(() -> !leader.granted.isEmpty());

            assertThat(orders.granted.get(0).getRole()).isEqualTo("orders");
            assertThat(orders.granted.get(0).isLeader()).isTrue();
            assertThat(leader.granted.get(0).getRole())
                    .as("raft.integration.role's default")
                    .isEqualTo("raft");
            assertThat(leadership.roleAssignments())
                    .as("the leader role is no named role")
                    .doesNotContainKey("raft");

            NamedRolesTest.ready(ctx, false);
            await().atMost(DEADLINE).until(() -> !orders.revoked.isEmpty());
            assertThat(leader.revoked)
                    .as("Raft leadership does not follow readiness by default")
                    .isEmpty();
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Candidates {
        @Bean
        RecordingCandidate orders() {
            return new RecordingCandidate("orders");
        }

        @Bean
        RecordingCandidate leader() {
            return new RecordingCandidate("raft");
        }
    }

    static class RecordingCandidate implements Candidate {
        final String role;
        final List<Context> granted = new CopyOnWriteArrayList<>();
        final List<Context> revoked = new CopyOnWriteArrayList<>();

        RecordingCandidate(String role) {
            this.role = role;
        }

        @Override
        public String getRole() {
            return role;
        }

        @Override
        public String getId() {
            return role + "-candidate";
        }

        @Override
        public void onGranted(Context context) {
            granted.add(context);
        }

        @Override
        public void onRevoked(Context context) {
            revoked.add(context);
        }
    }
}
