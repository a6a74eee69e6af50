package io.raftboot.spring.leadership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftboot.core.loop.RaftListener;
import io.raftboot.core.loop.RaftLoop;
import io.raftboot.core.node.Membership;
import io.raftboot.core.node.ProtocolSettings;
import io.raftboot.core.storage.MemoryStorage;
import io.raftboot.core.store.ConfigCommand;
import io.raftboot.core.store.ConfigCommandCodec;
import io.raftboot.core.store.ConfigStore;
import io.raftboot.spring.support.RaftExecutors;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The tracker no longer polls the loop every tick: it learns of lease changes from the loop and
 * looks again when a lease would run out. These tests pin the two ways a lease ends.
 */
class LeadershipTrackerTest {

    private final CountDownLatch unblock = new CountDownLatch(1);
    private final List<String> events = new CopyOnWriteArrayList<>();
    private RaftLoop loop;
    private RaftExecutors executors;
    private LeadershipTracker tracker;

    @AfterEach
    void tearDown() {
        unblock.countDown();
        if (tracker != null) {
            tracker.stop(Duration.ofSeconds(2));
        }
        if (loop != null) {
            loop.close();
        }
        if (executors != null) {
            executors.close();
        }
    }

    private void startSingleNode() {
        ProtocolSettings config = ProtocolSettings.of(Membership.ofVoters("n1")).withTicks(10, 2);
        loop = new RaftLoop(
                "n1",
                config,
                Duration.ofMillis(10),
                new MemoryStorage(),
                new ConfigStore(),
                m -> {},
                new SplittableRandom(1),
                0);
        executors = new RaftExecutors("n1");
        tracker =
                new LeadershipTracker(loop, event -> events.add(event.getClass().getSimpleName()), executors, List::of);
        loop.start();
        tracker.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("LeadershipGrantedEvent"));
        assertThat(tracker.isLeaderPublished()).isTrue();
    }

    @Test
    void aLeaseThatLapsesWhileTheLoopIsStuckIsRevokedWithoutALoopIteration() {
        startSingleNode();
        // A listener that never returns stands for a hung disk: the loop makes no iteration, so
        // nothing tells the tracker; only its check at the end of the lease can see the lapse.
        loop.addListener(new RaftListener() {
            @Override
            public void onApplied(long index, byte[] command, Object result) {
                try {
                    unblock.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        loop.propose(ConfigCommandCodec.encode(new ConfigCommand.Put("k", new byte[] {1})));

        await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("LeadershipRevokedEvent"));
        assertThat(tracker.isLeaderPublished()).isFalse();
        assertThat(loop.status().holdsLease()).isFalse();

        // The loop resumes and renews the lease in the same term, with no role change: the
        // tracker must hear of it and grant again (the lease "flipped" only as seen from outside).
        unblock.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> tracker.isLeaderPublished());
        assertThat(events)
                .containsSubsequence("LeadershipGrantedEvent", "LeadershipRevokedEvent", "LeadershipGrantedEvent");
        assertThat(loop.status().holdsLease()).isTrue();
    }

    @Test
    void aLeaseExtendedByTheLoopIsNotRevoked() {
        startSingleNode();
        long leaseMillis = loop.status().leaseValidForMillis();
        assertThat(leaseMillis).isPositive();
        // Several lease lengths: each end-of-lease check finds the lease extended and looks again later.
        await().during(Duration.ofMillis(4 * leaseMillis))
                .atMost(Duration.ofSeconds(10))
                .until(() -> tracker.isLeaderPublished() && !events.contains("LeadershipRevokedEvent"));
        assertThat(events).containsExactlyInAnyOrder("LeaderChangedEvent", "LeadershipGrantedEvent");
    }
}
