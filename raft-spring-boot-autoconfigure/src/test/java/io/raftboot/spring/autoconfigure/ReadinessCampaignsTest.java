package io.raftboot.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftboot.spring.leadership.LeadershipService;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code raft.availability.campaign-when-ready}: Raft leadership that waits for readiness (issue 16). */
class ReadinessCampaignsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(15);

    @TempDir
    static Path data;

    @Test
    void aNodeThatIsNotReadyDoesNotCampaignAndLeadsOnceReady() {
        NamedRolesTest.node(data)
                .withPropertyValues("raft.availability.campaign-when-ready=true")
                .run(ctx -> {
                    LeadershipService leadership = ctx.getBean(LeadershipService.class);

                    await().during(Duration.ofSeconds(1))
                            .atMost(Duration.ofSeconds(2))
                            .until(() -> !leadership.isLeader()
                                    && leadership.leaderId().isEmpty());
                    NamedRolesTest.ready(ctx, true);

                    await().atMost(DEADLINE).until(leadership::isLeader);
                });
    }

    @Test
    void byDefaultLeadershipDoesNotWaitForReadiness() {
        NamedRolesTest.node(data).run(ctx -> {
            LeadershipService leadership = ctx.getBean(LeadershipService.class);

            await().atMost(DEADLINE).until(leadership::isLeader);
            assertThat(ctx).doesNotHaveBean(io.raftboot.spring.leadership.ReadinessCampaigns.class);
        });
    }
}
