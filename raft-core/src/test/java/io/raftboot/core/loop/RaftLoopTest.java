package io.raftboot.core.loop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftboot.core.client.ForwardOutcome;
import io.raftboot.core.client.ProposalOutcomes;
import io.raftboot.core.node.Membership;
import io.raftboot.core.node.NotLeaderException;
import io.raftboot.core.node.ProtocolSettings;
import io.raftboot.core.node.Role;
import io.raftboot.core.storage.MemoryStorage;
import io.raftboot.core.storage.StorageException;
import io.raftboot.core.store.ConfigCommand;
import io.raftboot.core.store.ConfigCommandCodec;
import io.raftboot.core.store.ConfigResult;
import io.raftboot.core.store.ConfigStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RaftLoopTest {

    private static final long WAIT_SECONDS = 10;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private LocalCluster cluster(long snapshotThreshold) {
        LocalCluster cluster = new LocalCluster(snapshotThreshold, "n1", "n2", "n3");
        toClose.add(cluster);
        return cluster.start();
    }

    private LocalCluster cluster() {
        return cluster(RaftLoop.DEFAULT_SNAPSHOT_THRESHOLD);
    }

    private static byte[] put(String key, String value) {
        return ConfigCommandCodec.encode(new ConfigCommand.Put(key, value.getBytes(UTF_8)));
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        try {
            future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("expected the future to fail, got " + e, e);
        }
        throw new AssertionError("expected the future to fail, it completed");
    }

    @Test
    void aLeaderIsElectedAndTheOthersFollowIt() {
        LocalCluster cluster = cluster();

        RaftLoop leader = cluster.awaitLeader();

        assertThat(leader.status().term()).isPositive();
        for (RaftLoop follower : cluster.followersOf(leader)) {
            assertThat(follower.status().role()).isEqualTo(Role.FOLLOWER);
            assertThat(follower.status().term()).isEqualTo(leader.status().term());
        }
        assertThat(leader.status().peers())
                .extracting(PeerState::id)
                .containsExactlyInAnyOrderElementsOf(cluster.followersOf(leader).stream()
                        .map(RaftLoop::nodeId)
                        .toList());
    }

    @Test
    void aProposalOnTheLeaderCompletesWithTheResultAndReachesAllThreeStateMachines() throws Exception {
        LocalCluster cluster = cluster();
        RaftLoop leader = cluster.awaitLeader();

        Object result = leader.propose(put("feature.x", "on")).get(WAIT_SECONDS, TimeUnit.SECONDS);

        long modIndex = cluster.stores
                .get(leader.nodeId())
                .get("feature.x")
                .orElseThrow()
                .modIndex();
        assertThat(result).isEqualTo(new ConfigResult(ConfigResult.Outcome.APPLIED, "feature.x", 0, 1, 1, modIndex));
        assertThat(cluster.stores.get(leader.nodeId()).get("feature.x")).isPresent();
        await().atMost(LocalCluster.DEADLINE).untilAsserted(() -> {
            for (ConfigStore store : cluster.stores.values()) {
                assertThat(store.get("feature.x"))
                        .hasValueSatisfying(v -> assertThat(v.valueAsString()).isEqualTo("on"));
                assertThat(store.configVersion()).isEqualTo(1);
            }
        });
    }

    @Test
    void appliedCommandsReachListenersOnEveryNode() throws Exception {
        LocalCluster cluster = cluster();
        List<String> applied = new CopyOnWriteArrayList<>();
        cluster.loops
                .values()
                .forEach(loop -> loop.addListener(new RaftListener() {
                    @Override
                    public void onApplied(long index, byte[] command, Object result) {
                        applied.add(loop.nodeId() + ":" + ((ConfigResult) result).key());
                    }
                }));
        RaftLoop leader = cluster.awaitLeader();

        leader.propose(put("a", "1")).get(WAIT_SECONDS, TimeUnit.SECONDS);

        await().atMost(LocalCluster.DEADLINE)
                .untilAsserted(() -> assertThat(applied).containsExactlyInAnyOrder("n1:a", "n2:a", "n3:a"));
    }

    @Test
    void appliedProgressIsToldOnlyOnceTheStatusShowsIt() throws Exception {
        LocalCluster cluster = cluster();
        RaftLoop leader = cluster.awaitLeader();
        RaftLoop follower = cluster.followersOf(leader).get(0);
        List<Long> told = new CopyOnWriteArrayList<>();
        List<String> tooEarly = new CopyOnWriteArrayList<>();
        follower.addListener(new RaftListener() {
            @Override
            public void onAppliedUpTo(long lastApplied) {
                told.add(lastApplied);
                if (follower.status().lastApplied() < lastApplied) {
                    tooEarly.add(lastApplied + " told, status shows "
                            + follower.status().lastApplied());
                }
            }
        });

        long index = ((ConfigResult) leader.propose(put("a", "1")).get(WAIT_SECONDS, TimeUnit.SECONDS)).modIndex();

        // Woken for the entry itself, so a wait for "applied up to index" needs no polling.
        await().atMost(LocalCluster.DEADLINE)
                .untilAsserted(() -> assertThat(told).contains(index));
        assertThat(tooEarly).isEmpty();
        assertThat(told).isSorted();
    }

    @Test
    void proposeOnAFollowerFailsWithNotLeaderExceptionNamingTheLeader() {
        LocalCluster cluster = cluster();
        RaftLoop leader = cluster.awaitLeader();
        RaftLoop follower = cluster.followersOf(leader).get(0);

        Throwable failure = failureOf(follower.propose(put("a", "1")));

        assertThat(failure).isInstanceOf(NotLeaderException.class);
        assertThat(((NotLeaderException) failure).leaderHint()).isEqualTo(leader.nodeId());
        assertThat(cluster.stores.get(follower.nodeId()).get("a")).isEmpty();
    }

    @Test
    void readIndexCompletesOnlyOnceTheAcknowledgedWritesAreApplied() throws Exception {
        LocalCluster cluster = cluster();
        RaftLoop leader = cluster.awaitLeader();
        ConfigStore store = cluster.stores.get(leader.nodeId());
        List<CompletableFuture<Object>> writes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            writes.add(leader.propose(put("k" + i, "v")));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        long lastWriteIndex = store.get("k19").orElseThrow().modIndex();

        AtomicReference<Long> configVersionAtCompletion = new AtomicReference<>();
        long readIndex = leader.readIndex()
                .thenApply(index -> {
                    configVersionAtCompletion.set(store.configVersion());
                    return index;
                })
                .get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(readIndex).isGreaterThanOrEqualTo(lastWriteIndex);
        assertThat(configVersionAtCompletion.get()).isEqualTo(20);
    }

    @Test
    void readIndexOnAFollowerFailsWithNotLeaderException() {
        LocalCluster cluster = cluster();
        RaftLoop leader = cluster.awaitLeader();

        assertThat(failureOf(cluster.followersOf(leader).get(0).readIndex())).isInstanceOf(NotLeaderException.class);
    }

    @Test
    void transferLeadershipMovesLeadershipToTheTarget() throws Exception {
        LocalCluster cluster = cluster();
        RaftLoop leader = cluster.awaitLeader();
        RaftLoop target = cluster.followersOf(leader).get(1);
        long term = leader.status().term();

        leader.transferLeadership(target.nodeId()).get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(cluster.awaitLeader()).isSameAs(target);
        assertThat(target.status().term()).isGreaterThan(term);
        assertThat(leader.status().role()).isEqualTo(Role.FOLLOWER);
    }

    @Test
    void transferLeadershipOnAFollowerFailsWithNotLeaderException() {
        LocalCluster cluster = cluster();
        RaftLoop leader = cluster.awaitLeader();
        RaftLoop follower = cluster.followersOf(leader).get(0);

        assertThat(failureOf(follower.transferLeadership(leader.nodeId()))).isInstanceOf(NotLeaderException.class);
        assertThat(failureOf(leader.transferLeadership("nobody"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stepDownHandsLeadershipToAnotherNode() throws Exception {
        LocalCluster cluster = cluster();
        RaftLoop leader = cluster.awaitLeader();

        String successor = leader.stepDown().get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(successor).isNotNull().isNotEqualTo(leader.nodeId());
        assertThat(cluster.awaitLeader().nodeId()).isEqualTo(successor);
        // A node that does not lead has nothing to hand over.
        assertThat(leader.stepDown().get(WAIT_SECONDS, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void onlyTheLeaderHoldsTheLease() {
        LocalCluster cluster = cluster();
        RaftLoop leader = cluster.awaitLeader();

        await().atMost(LocalCluster.DEADLINE).until(leader::holdsLease);
        assertThat(leader.status().leaseValidForMillis())
                .isPositive()
                .isLessThanOrEqualTo(cluster.config.leaseTicks() * LocalCluster.TICK.toMillis());
        for (RaftLoop follower : cluster.followersOf(leader)) {
            assertThat(follower.holdsLease()).isFalse();
        }
    }

    @Test
    void aStorageFailureHaltsTheNodeAndFailsThePendingProposalWithTheCause() {
        LocalCluster cluster = cluster();
        RaftLoop leader = cluster.awaitLeader();
        AtomicReference<Throwable> halted = new AtomicReference<>();
        leader.addListener(new RaftListener() {
            @Override
            public void onHalted(Throwable cause) {
                halted.set(cause);
            }
        });
        StorageException diskDied = new StorageException("disk died");
        cluster.storages.get(leader.nodeId()).failFromNowOn(diskDied);

        Throwable failure = failureOf(leader.propose(put("a", "1")));

        assertThat(failure).isSameAs(diskDied);
        await().atMost(LocalCluster.DEADLINE).until(() -> halted.get() != null);
        assertThat(halted.get()).isSameAs(diskDied);
        assertThat(leader.isRunning()).isFalse();
        assertThat(leader.haltCause()).containsSame(diskDied);
        assertThat(leader.status().role()).isNotEqualTo(Role.LEADER);
        assertThat(leader.holdsLease()).isFalse();
        assertThat(cluster.storages.get(leader.nodeId()).closed).isTrue();
        Throwable later = failureOf(leader.propose(put("b", "2")));
        assertThat(later).isInstanceOf(RaftLoopStoppedException.class).hasCause(diskDied);
        // The other two carry on with a new leader.
        RaftLoop next = cluster.awaitLeader();
        assertThat(next).isNotSameAs(leader);
    }

    @Test
    void closingTheLeaderLetsTheOtherTwoElectANewLeader() throws Exception {
        LocalCluster cluster = cluster();
        RaftLoop leader = cluster.awaitLeader();
        long term = leader.status().term();

        leader.close();

        assertThat(leader.isRunning()).isFalse();
        assertThat(leader.status().role()).isEqualTo(Role.FOLLOWER);
        assertThat(failureOf(leader.propose(put("a", "1")))).isInstanceOf(RaftLoopStoppedException.class);
        RaftLoop next = cluster.awaitLeader();
        assertThat(next).isNotSameAs(leader);
        assertThat(next.status().term()).isGreaterThan(term);
        assertThat(next.propose(put("a", "1")).get(WAIT_SECONDS, TimeUnit.SECONDS))
                .isInstanceOf(ConfigResult.class);
    }

    @Test
    void aLeaderCutOffFromTheOthersFailsItsPendingProposalWhenItStepsDown() throws Exception {
        LocalCluster cluster = cluster();
        RaftLoop leader = cluster.awaitLeader();
        cluster.isolated.add(leader.nodeId());

        Throwable failure = failureOf(leader.propose(put("lost", "1")));

        // Check-quorum made it step down; the entry never left it, but it cannot know that.
        assertThat(failure).isInstanceOf(LeadershipLostException.class);
        assertThat(((LeadershipLostException) failure).outcomeUnknown()).isTrue();
        assertThat(leader.status().role()).isNotEqualTo(Role.LEADER);
        assertThat(leader.holdsLease()).isFalse();

        // The others elect a leader that overwrites the entry; once healed the old leader follows it.
        RaftLoop next = cluster.awaitLeader();
        next.propose(put("kept", "1")).get(WAIT_SECONDS, TimeUnit.SECONDS);
        cluster.isolated.clear();
        await().atMost(LocalCluster.DEADLINE).untilAsserted(() -> {
            ConfigStore oldLeaderStore = cluster.stores.get(leader.nodeId());
            assertThat(oldLeaderStore.get("kept")).isPresent();
            assertThat(oldLeaderStore.get("lost")).isEmpty();
        });
    }

    @Test
    void aProposalPendingWhenTheLoopClosesFailsWithItsOutcomeUnknown() {
        LocalCluster cluster = cluster();
        RaftLoop leader = cluster.awaitLeader();
        cluster.isolated.add(leader.nodeId());
        long lastIndex = leader.status().lastIndex();
        CompletableFuture<Object> pending = leader.propose(put("in-the-log", "1"));
        await().atMost(LocalCluster.DEADLINE).until(() -> leader.status().lastIndex() > lastIndex);

        leader.close();

        // The entry is in the leader's log; were it replicated, a new leader could still commit it.
        // (Check-quorum may make the isolated leader step down first: that failure must say the same.)
        Throwable failure = failureOf(pending);
        assertThat(ProposalOutcomes.ofFailure(failure)).isInstanceOf(ForwardOutcome.OutcomeUnknown.class);
        assertThat(failure).hasMessageContaining("may still be committed");
        if (failure instanceof RaftLoopStoppedException stopped) {
            assertThat(stopped.outcomeUnknown()).isTrue();
        }
        // A request the closed loop never took proposed nothing.
        Throwable later = failureOf(leader.propose(put("never", "1")));
        assertThat(((RaftLoopStoppedException) later).outcomeUnknown()).isFalse();
    }

    @Test
    void aRequestTakenFromTheQueueAsTheLoopClosesStillFails() throws Exception {
        // Before: a request polled in the iteration that saw `closing` was dropped, its future never completed.
        LocalCluster cluster = cluster();
        RaftLoop leader = cluster.awaitLeader();
        cluster.isolated.add(leader.nodeId()); // nothing else reaches its queue: the request is the next input
        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        cluster.afterSend = m -> {
            if (m.from().equals(leader.nodeId()) && stalled.getCount() > 0) {
                stalled.countDown();
                try {
                    release.await(WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        assertThat(stalled.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Object> queued = leader.propose(put("queued", "v"));
        Thread closer = new Thread(leader::close);
        closer.start();
        await().atMost(LocalCluster.DEADLINE).until(() -> !leader.isRunning());

        release.countDown();
        closer.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));

        Throwable failure = failureOf(queued);
        assertThat(failure).isInstanceOf(RaftLoopStoppedException.class);
        assertThat(((RaftLoopStoppedException) failure).outcomeUnknown()).isFalse();
    }

    @Test
    void stateChangesAreReportedToListeners() {
        LocalCluster cluster = cluster();
        List<Role> roles = new CopyOnWriteArrayList<>();
        RaftLoop n1 = cluster.loop("n1");
        n1.addListener(new RaftListener() {
            @Override
            public void onStateChange(RaftStatus previous, RaftStatus current) {
                roles.add(current.role());
            }
        });
        RaftLoop leader = cluster.awaitLeader();

        await().atMost(LocalCluster.DEADLINE).until(() -> roles.contains(leader == n1 ? Role.LEADER : Role.FOLLOWER));
    }

    @Test
    void snapshotsCompactTheLogAndARestartedNodeRestoresFromThem() throws Exception {
        LocalCluster cluster = cluster(5);
        RaftLoop leader = cluster.awaitLeader();
        for (int i = 0; i < 12; i++) {
            leader.propose(put("k" + i, "v" + i)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
        leader.close();
        MemoryStorage disk = cluster.storages.get(leader.nodeId()).delegate;
        assertThat(disk.snapshot()).isNotNull();
        assertThat(disk.snapshot().lastIndex()).isGreaterThanOrEqualTo(5);

        // Restart that node from what its storage holds, alone (no peers reachable).
        ConfigStore restored = new ConfigStore();
        MemoryStorage reopened = new MemoryStorage(disk.current());
        RaftLoop restarted = new RaftLoop(
                leader.nodeId(), cluster.config, LocalCluster.TICK, reopened, restored, m -> {}, new Random(7), 5);
        toClose.add(restarted);
        restarted.start();

        await().atMost(LocalCluster.DEADLINE).untilAsserted(() -> {
            assertThat(restored.configVersion()).isEqualTo(12);
            assertThat(restored.get("k11").orElseThrow().valueAsString()).isEqualTo("v11");
        });
    }

    @Test
    void requestsFailFastWhenTheQueueIsFull() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean blocked = new AtomicBoolean();
        ProtocolSettings single =
                ProtocolSettings.of(Membership.ofVoters("solo")).withTicks(10, 2);
        RaftLoop loop = new RaftLoop(
                "solo",
                single,
                LocalCluster.TICK,
                new MemoryStorage(),
                new ConfigStore(),
                m -> {},
                new Random(1),
                0,
                1);
        toClose.add(loop);
        // Closed after the latch is released (AfterEach closes in order).
        toClose.add(0, release::countDown);
        loop.addListener(new RaftListener() {
            @Override
            public void onStateChange(RaftStatus previous, RaftStatus current) {
                if (current.role() == Role.LEADER && blocked.compareAndSet(false, true)) {
                    try {
                        release.await(WAIT_SECONDS, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
        loop.start();
        await().atMost(LocalCluster.DEADLINE).untilTrue(blocked);

        CompletableFuture<Object> queued = loop.propose(put("a", "1"));
        CompletableFuture<Object> rejected = loop.propose(put("b", "2"));

        assertThat(failureOf(rejected))
                .isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("queue is full");
        release.countDown();
        assertThat(queued.get(WAIT_SECONDS, TimeUnit.SECONDS)).isInstanceOf(ConfigResult.class);
    }

    @Test
    void requestsBeforeStartFailWithRaftLoopStoppedException() {
        ProtocolSettings single =
                ProtocolSettings.of(Membership.ofVoters("solo")).withTicks(10, 2);
        RaftLoop loop = new RaftLoop(
                "solo",
                single,
                Duration.ofMillis(10),
                new MemoryStorage(),
                new ConfigStore(),
                m -> {},
                new Random(1),
                0);
        toClose.add(loop);

        assertThat(failureOf(loop.propose(new byte[0])))
                .isInstanceOf(RaftLoopStoppedException.class)
                .hasMessageContaining("not started");
    }
}
