package io.raftboot.core.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftboot.core.message.AppendEntries;
import io.raftboot.core.message.AppendResponse;
import io.raftboot.core.message.Message;
import io.raftboot.core.message.VoteRequest;
import io.raftboot.core.message.VoteResponse;
import io.raftboot.core.node.Membership;
import io.raftboot.core.node.ProtocolSettings;
import io.raftboot.core.node.Role;
import io.raftboot.core.storage.MemoryStorage;
import io.raftboot.core.store.ConfigStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The loop sleeps until something is due: an idle node wakes only at its timers' deadlines (the
 * election timeout of a follower, each heartbeat of a leader) and at the end of a published
 * lease, never at every tick. One real loop, node n1 of three, on a {@link FakeLoopTime}; its
 * peers are played by the transport, on the loop thread.
 */
class IdleWakeUpTest {

    private static final int T = 10;
    private static final int HEARTBEAT = 2;
    private static final long TICK = Duration.ofMillis(10).toNanos();
    private static final ProtocolSettings SETTINGS =
            ProtocolSettings.of(Membership.ofVoters("n1", "n2", "n3")).withTicks(T, HEARTBEAT);

    private final List<RaftLoop> loops = new ArrayList<>();

    @AfterEach
    void close() {
        loops.forEach(RaftLoop::close);
    }

    private RaftLoop start(FakeLoopTime time, Peers peers) {
        RaftLoop loop = new RaftLoop(
                "n1",
                SETTINGS,
                Duration.ofNanos(TICK),
                new MemoryStorage(),
                new ConfigStore(),
                peers,
                new Random(7),
                0,
                RaftLoop.DEFAULT_QUEUE_CAPACITY,
                time);
        peers.loop = loop;
        loops.add(loop);
        return loop;
    }

    /** n2 and n3: grant every vote and acknowledge every append sent while {@code answers} says so. */
    private static final class Peers implements Transport {
        private final FakeLoopTime time;
        private final LongPredicate answers;
        volatile RaftLoop loop;

        Peers(FakeLoopTime time, LongPredicate answersAt) {
            this.time = time;
            this.answers = answersAt;
        }

        @Override
        public void send(Message m) {
            if (!answers.test(time.nanoTime())) {
                return;
            }
            if (m instanceof VoteRequest vr) {
                loop.receive(new VoteResponse(vr.to(), vr.from(), vr.term(), true, vr.preVote()));
            } else if (m instanceof AppendEntries ae) {
                loop.receive(
                        new AppendResponse(ae.to(), ae.from(), ae.term(), true, ae.lastIndex(), 0, 0, ae.readSeq()));
            }
        }
    }

    private static List<Long> gapsInTicks(List<Long> instants) {
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < instants.size(); i++) {
            long gap = instants.get(i) - instants.get(i - 1);
            assertThat(gap % TICK).as("wake-up %d falls on a tick", i).isZero();
            gaps.add(gap / TICK);
        }
        return gaps;
    }

    @Test
    void aFollowerThatHearsNobodyWakesOnlyWhenItsElectionTimeoutRunsOut() {
        FakeLoopTime time = new FakeLoopTime(20);
        RaftLoop loop = start(time, new Peers(time, now -> false));
        loop.start();

        await().atMost(Duration.ofSeconds(10)).until(time::finished);

        // Each wake-up starts a pre-vote nobody answers; the next comes a new random timeout later.
        assertThat(time.wakeUps.get(0) - FakeLoopTime.START).isBetween(T * TICK, 2L * T * TICK - TICK);
        assertThat(gapsInTicks(time.wakeUps)).allSatisfy(gap -> assertThat(gap).isBetween((long) T, 2L * T - 1));
        assertThat(loop.status().role()).isEqualTo(Role.CANDIDATE);
    }

    @Test
    void aHeartbeatThatWakesASleepingFollowerCountsFromTheTickItArrivedIn() {
        FakeLoopTime time = new FakeLoopTime(1);
        // Nine and a half ticks in: before any election timeout ([T, 2T) ticks) ran out.
        long arrival = FakeLoopTime.START + 9 * TICK + TICK / 2;
        time.arriveAt(arrival, new AppendEntries("n2", "n1", 1, 0, 0, List.of(), 0, 1));
        RaftLoop loop = start(time, new Peers(time, now -> false));
        loop.start();

        await().atMost(Duration.ofSeconds(10)).until(time::finished);

        assertThat(loop.status().term())
                .as("the heartbeat of term 1 was handled")
                .isEqualTo(1);
        // The loop ticked the node up to tick 9 before it handled the heartbeat, so the election
        // timeout restarted there; had it handled it at the tick it slept at (0), then caught up,
        // the timeout would run out 9 ticks early, and the promise not to vote for another
        // leader (stickiness) that the leader's lease rests on would end 9 ticks early too.
        long ticksAfterArrival = (time.wakeUps.get(0) - FakeLoopTime.START) / TICK - 9;
        assertThat(ticksAfterArrival).isBetween((long) T, 2L * T - 1);
    }

    @Test
    void aLeaderWhoseFollowersAnswerWakesOnlyForEachHeartbeat() {
        FakeLoopTime time = new FakeLoopTime(60);
        AtomicLong ledFrom = new AtomicLong(-1);
        RaftLoop loop = start(time, new Peers(time, now -> true));
        loop.addListener(new RaftListener() {
            @Override
            public void onStateChange(RaftStatus previous, RaftStatus current) {
                if (current.role() == Role.LEADER) {
                    ledFrom.compareAndSet(-1, time.nanoTime());
                }
            }
        });
        loop.start();

        await().atMost(Duration.ofSeconds(10)).until(time::finished);

        assertThat(loop.status().role()).isEqualTo(Role.LEADER);
        List<Long> asLeader =
                time.wakeUps.stream().filter(t -> t > ledFrom.get()).toList();
        assertThat(asLeader).hasSizeGreaterThan(50);
        assertThat(gapsInTicks(asLeader)).allSatisfy(gap -> assertThat(gap).isEqualTo(HEARTBEAT));
    }

    @Test
    void aLeaderWhoseFollowersFallSilentPublishesTheEndOfItsLeaseWhenItEnds() {
        long silentFrom = FakeLoopTime.START + Duration.ofSeconds(1).toNanos();
        // The wake-up that sends the last heartbeat the followers answer comes half a tick late,
        // so the lease it starts ends half a tick after a tick: only the lease's own deadline
        // wakes the loop then, not a tick.
        AtomicLong lateWakeUp = new AtomicLong(-1);
        FakeLoopTime time = new FakeLoopTime(200, due -> {
            if (due >= silentFrom && lateWakeUp.compareAndSet(-1, due + TICK / 2)) {
                return TICK / 2;
            }
            return 0;
        });
        RaftLoop loop = start(time, new Peers(time, now -> lateWakeUp.get() < 0 || now <= lateWakeUp.get()));
        List<long[]> leaseEnds = new CopyOnWriteArrayList<>(); // {published lease end, instant heard}
        loop.addListener(new RaftListener() {
            @Override
            public void onStateChange(RaftStatus previous, RaftStatus current) {
                if (previous.leaseValidUntilNanos() != Long.MIN_VALUE && !current.holdsLeaseAt(time.nanoTime())) {
                    leaseEnds.add(new long[] {previous.leaseValidUntilNanos(), time.nanoTime()});
                }
            }
        });
        loop.start();

        await().atMost(Duration.ofSeconds(10)).until(time::finished);

        assertThat(lateWakeUp.get()).as("the followers fell silent").isPositive();
        assertThat(leaseEnds).as("the lease ended once").hasSize(1);
        long end = leaseEnds.get(0)[0];
        assertThat(end % TICK).as("between two ticks").isEqualTo((FakeLoopTime.START + TICK / 2) % TICK);
        assertThat(leaseEnds.get(0)[1]).as("heard when it ended").isEqualTo(end);
        assertThat(time.wakeUps).contains(end);
    }
}
