package io.raftboot.core.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftboot.core.node.RoleCandidacy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Named roles (issue 16) as the application reads them, from the status real loops publish: one
 * holder, a token, and a withdrawal that has taken effect by the time its future completes.
 */
class RoleLeaseLoopTest {

    private static final RoleCandidacy OFFERS_X = new RoleCandidacy(true, Map.of("x", 1));

    private final LocalCluster cluster = new LocalCluster("n1", "n2", "n3");

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void aWithdrawnRoleIsGoneFromTheStatusWhenTheFutureCompletesAndMovesToAnotherNode() throws Exception {
        cluster.start();
        for (RaftLoop loop : cluster.running()) {
            loop.offerRoles(OFFERS_X).get(5, TimeUnit.SECONDS);
        }
        RaftLoop holder = await().atMost(LocalCluster.DEADLINE).until(() -> holderOfX(), h -> h != null);
        long firstToken = holder.status().roleLease("x").orElseThrow().fencingToken();
        assertThat(firstToken).isPositive();

        holder.offerRoles(OFFERS_X.withAvailable(false)).get(5, TimeUnit.SECONDS);

        assertThat(holder.status().roles())
                .as("released before the future completed")
                .isEmpty();
        RaftLoop next = await().atMost(LocalCluster.DEADLINE).until(() -> holderOfX(), h -> h != null);
        assertThat(next.nodeId()).isNotEqualTo(holder.nodeId());
        assertThat(next.status().roleLease("x").orElseThrow().fencingToken())
                .as("the token grows from holder to holder")
                .isGreaterThan(firstToken);
    }

    /** The one node whose status holds x now; fails if two do. */
    private RaftLoop holderOfX() {
        List<RaftLoop> holders = cluster.running().stream()
                .filter(loop -> loop.status().holdsRole("x"))
                .toList();
        assertThat(holders).as("nodes holding x").hasSizeLessThanOrEqualTo(1);
        return holders.isEmpty() ? null : holders.get(0);
    }
}
