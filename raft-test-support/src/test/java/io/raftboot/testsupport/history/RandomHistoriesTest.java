package io.raftboot.testsupport.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded property loops (each failure names its seed; rerun one with
 * {@code -Dhistory.seed=N}): histories linearizable by construction are accepted, and the same
 * histories with one read made stale are rejected.
 */
class RandomHistoriesTest {

    private static final int SEEDS = Integer.getInteger("history.seeds", 500);
    private static final HistoryGenerator.Shape SHAPE = new HistoryGenerator.Shape(60, 3, 4, 0.05, 12);

    private static List<Long> seeds() {
        Long one = Long.getLong("history.seed");
        List<Long> seeds = new ArrayList<>();
        if (one != null) {
            seeds.add(one);
        } else {
            for (long s = 1; s <= SEEDS; s++) {
                seeds.add(s);
            }
        }
        return seeds;
    }

    @Test
    void everyHistoryGeneratedFromASequentialRunWithJitterIsAccepted() {
        for (long seed : seeds()) {
            List<Operation> history = HistoryGenerator.generate(new Random(seed), SHAPE);

            CheckResult result = LinearizabilityChecker.check(history);

            assertThat(result.linearizable())
                    .as("seed %d: %s", seed, result.explanation())
                    .isTrue();
        }
        System.out.println("RandomHistoriesTest: " + seeds().size() + " generated histories accepted");
    }

    @Test
    void everyGeneratedHistoryWithOneReadMadeStaleIsRejected() {
        int mutated = 0;
        String example = null;
        for (long seed : seeds()) {
            Random random = new Random(seed);
            List<Operation> history = new ArrayList<>(HistoryGenerator.generate(random, SHAPE));
            if (!StaleRead.inject(history, random)) {
                continue;
            }
            mutated++;

            CheckResult result = LinearizabilityChecker.check(history);

            assertThat(result.violation())
                    .as("seed %d: a stale read was accepted: %s", seed, result.explanation())
                    .isTrue();
            if (example == null) {
                example = "seed " + seed + ": " + result.explanation();
            }
        }
        System.out.println("RandomHistoriesTest: " + mutated + " of " + seeds().size()
                + " histories had a stale read injected, all rejected; the first explanation:\n" + example);
        assertThat(mutated)
                .as("histories in which a stale read could be injected")
                .isGreaterThan(seeds().size() * 8 / 10);
    }
}
