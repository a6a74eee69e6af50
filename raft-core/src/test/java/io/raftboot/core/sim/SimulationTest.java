package io.raftboot.core.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.raftboot.core.sim.InvariantChecker.InvariantViolation;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The main test of the core: thousands of seeded cluster runs with faults, each checked after
 * every event. {@code -Draft.sim.seeds=N} sets how many (default 2000, CI), {@code
 * -Draft.sim.firstSeed=S} where to start; {@code -Draft.sim.seed=S} replays one seed.
 */
class SimulationTest {

    private static final System.Logger LOG = System.getLogger(SimulationTest.class.getName());

    @Test
    void everySeedKeepsEveryInvariantAndRecoversAfterFaultsHeal() {
        AtomicLong stableTicks = new AtomicLong();
        AtomicLong clientOperations = new AtomicLong();
        AtomicLong longestHistory = new AtomicLong();
        Seeds run = Seeds.run(Long.getLong("raft.sim.seeds", 2000), SimOptions::forSeed, "", simulation -> {
            stableTicks.addAndGet(simulation.stabilityCheckedTicks());
            clientOperations.addAndGet(simulation.clientOperations());
            longestHistory.accumulateAndGet(simulation.clientOperations(), Math::max);
        });
        LOG.log(
                System.Logger.Level.INFO,
                "simulation: {0}; {1} ticks under the stability check; {2} client operations checked for"
                        + " linearizability (longest history {3})",
                run,
                stableTicks.get(),
                clientOperations.get(),
                longestHistory.get());
        assertThat(run.failures()).as("seeds that broke an invariant").isEmpty();
    }

    /**
     * The same faults while the leader changes the membership (adds spares, promotes, demotes,
     * removes, itself too): {@code -Draft.sim.membershipSeeds=N} (default 500).
     */
    @Test
    void membershipChangesUnderFaultsKeepEveryInvariant() {
        AtomicLong changes = new AtomicLong();
        long count = Long.getLong("raft.sim.membershipSeeds", 500);
        Seeds run = Seeds.run(
                count,
                seed -> SimOptions.forSeed(seed).withMembershipChanges(),
                " -Draft.sim.membership=true",
                simulation -> changes.addAndGet(simulation.membershipChanges()));
        LOG.log(
                System.Logger.Level.INFO,
                "simulation with membership changes: {0}; {1} changes made",
                run,
                changes.get());
        assertThat(run.failures()).as("seeds that broke an invariant").isEmpty();
        assertThat(changes.get()).as("changes made").isGreaterThan(count);
    }

    /**
     * Named roles (issue 16) under the same faults, nodes also changing what they offer:
     * {@code -Draft.sim.roleSeeds=N} (default 400); a third of them with membership changes too.
     */
    @Test
    void namedRolesUnderFaultsHaveOneHolderAtATime() {
        Seeds run = Seeds.run(
                Long.getLong("raft.sim.roleSeeds", 400),
                SimulationTest::rolesOptions,
                " -Draft.sim.roles=true",
                simulation -> {});
        LOG.log(System.Logger.Level.INFO, "simulation with named roles: {0}", run);
        assertThat(run.failures()).as("seeds that broke an invariant").isEmpty();
    }

    /** Seeds run in parallel from {@code -Draft.sim.firstSeed} (default 1), with the failures and how to replay each. */
    private record Seeds(long count, long first, long millis, List<String> failures) {

        static Seeds run(long count, LongFunction<SimOptions> options, String replayFlags, Consumer<Simulation> after) {
            long first = Long.getLong("raft.sim.firstSeed", 1);
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            long started = System.nanoTime();
            LongStream.range(first, first + count).parallel().forEach(seed -> {
                try {
                    Simulation simulation = new Simulation(options.apply(seed));
                    simulation.run();
                    after.accept(simulation);
                } catch (RuntimeException | AssertionError e) {
                    failures.add(e + "\n  replay: ./mvnw -pl raft-core test -Dtest=SimulationTest#replaysOneSeed"
                            + replayFlags + " -Draft.sim.seed=" + seed);
                }
            });
            return new Seeds(count, first, (System.nanoTime() - started) / 1_000_000, List.copyOf(failures));
        }

        @Override
        public String toString() {
            return String.format("%,d seeds from %d in %,d ms, %d failed", count, first, millis, failures.size());
        }
    }

    /** The roles run of {@code seed}: every third one also changes the membership. */
    static SimOptions rolesOptions(long seed) {
        SimOptions options = SimOptions.forSeed(seed).withRoles();
        return seed % 3 == 0 ? options.withMembershipChanges() : options;
    }

    @Test
    void replaysOneSeed() {
        String seed = System.getProperty("raft.sim.seed");
        assumeTrue(seed != null, "set -Draft.sim.seed=<seed> to replay one seed");
        SimOptions options = SimOptions.forSeed(Long.parseLong(seed));
        if (Boolean.getBoolean("raft.sim.roles")) {
            options = rolesOptions(Long.parseLong(seed));
        } else if (Boolean.getBoolean("raft.sim.membership")) {
            options = options.withMembershipChanges();
        }
        String summary = new Simulation(options).run();
        LOG.log(System.Logger.Level.INFO, summary);
    }

    @Test
    void checkerCatchesANodeThatForgetsItsVoteOnRestart() {
        // Deliberately broken disks: votedFor is never persisted. Some seed must then produce two
        // leaders in one term (or a consequence of it); if none does, the simulation is too weak.
        List<Long> seeds = LongStream.rangeClosed(1, 400).boxed().toList();
        long caught = seeds.parallelStream()
                .filter(seed -> {
                    try {
                        new Simulation(SimOptions.forSeed(seed).withForgetVotes()).run();
                        return false;
                    } catch (InvariantViolation e) {
                        return true;
                    }
                })
                .count();
        assertThat(caught)
                .as("seeds (of 400) where forgotten votes were caught")
                .isPositive();
    }

    @Test
    void statusPublishedOnlyAfterTheReadysMessagesLetsTwoNodesAnswerIsLeaderAtOnce() {
        // RaftLoop's order before the fix: TimeoutNow leaves, the old leader pauses (slow fsync,
        // GC) before publishing that its lease ended, and the transfer target's lease starts at
        // once. The published-lease check must catch it; the fixed order (the default) must not.
        List<Long> seeds = LongStream.rangeClosed(1, 300).boxed().toList();
        List<String> caught = seeds.parallelStream()
                .map(seed -> {
                    try {
                        new Simulation(SimOptions.forSeed(seed).withStatusPublishedAfterSending()).run();
                        return "";
                    } catch (InvariantViolation e) {
                        return e.getMessage();
                    }
                })
                .filter(m -> m.startsWith("lease as the application sees it"))
                .toList();
        LOG.log(
                System.Logger.Level.INFO,
                "old publication order: {0} of 300 seeds caught, e.g. {1}",
                caught.size(),
                caught.isEmpty() ? "-" : caught.get(0));
        assertThat(caught)
                .as("seeds (of 300) where two nodes' isLeader() overlapped")
                .isNotEmpty();
    }

    @Test
    void aSeedIsDeterministic() {
        SimOptions options = SimOptions.forSeed(42);
        assertThat(new Simulation(options).run()).isEqualTo(new Simulation(options).run());
    }

    @Test
    void violationsNameTheBrokenProperty() {
        InvariantChecker checker = new InvariantChecker();
        checker.onApplied("n1", io.raftboot.core.log.LogEntry.noop(1, 1));
        assertThatThrownBy(() -> checker.onApplied("n2", io.raftboot.core.log.LogEntry.noop(1, 2)))
                .isInstanceOf(InvariantViolation.class)
                .hasMessageContaining("state machine safety");
    }
}
