package io.raftboot.core.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftboot.core.message.TimeoutNow;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lease as the application reads it ({@link RaftLoop#holdsLease()}, behind
 * {@code LeadershipService.isLeader()}) during a handover: the old leader's published status must
 * have given up its lease before the TimeoutNow that lets the target lead leaves, whatever
 * stalls the old leader's loop after that (an fsync, a snapshot, a GC pause).
 */
class LeaseHandoverTest {

    private final LocalCluster cluster = new LocalCluster("n1", "n2", "n3").start();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() {
        release.countDown();
        cluster.close();
    }

    @Test
    void theOldLeaderNoLongerHoldsTheLeaseOnceTheTransferTargetDoes() throws Exception {
        assertNoOverlapWhileTheOldLeaderStalls((leader, target) -> leader.transferLeadership(target.nodeId()));
    }

    @Test
    void aLeaderThatStepsDownNoLongerHoldsTheLeaseOnceItsSuccessorDoes() throws Exception {
        assertNoOverlapWhileTheOldLeaderStalls((leader, target) -> leader.stepDown());
    }

    private interface Handover {
        CompletableFuture<?> start(RaftLoop leader, RaftLoop target);
    }

    private void assertNoOverlapWhileTheOldLeaderStalls(Handover handover) throws Exception {
        RaftLoop leader = cluster.awaitLeader();
        await().atMost(LocalCluster.DEADLINE).until(leader::holdsLease);
        RaftLoop target = cluster.followersOf(leader).get(0);
        // The old leader's loop stalls right after its TimeoutNow left, as if its next fsync hung.
        cluster.afterSend = m -> {
            if (m instanceof TimeoutNow && m.from().equals(leader.nodeId())) {
                awaitQuietly(release);
            }
        };

        handover.start(leader, target);
        RaftLoop successor = awaitLeaseHolderOtherThan(leader);
        boolean oldLeaderStillLeads = leader.holdsLease();
        release.countDown();

        assertThat(oldLeaderStillLeads)
                .as(
                        "old leader %s still answered isLeader() while %s held the lease (term %s)",
                        leader.nodeId(), successor.nodeId(), successor.status().term())
                .isFalse();
    }

    private RaftLoop awaitLeaseHolderOtherThan(RaftLoop old) {
        Supplier<RaftLoop> holder = () -> cluster.loops.values().stream()
                .filter(l -> l != old && l.holdsLease())
                .findFirst()
                .orElse(null);
        await().atMost(LocalCluster.DEADLINE)
                .pollInterval(java.time.Duration.ofMillis(1))
                .until(() -> holder.get() != null);
        return holder.get();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(LocalCluster.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
