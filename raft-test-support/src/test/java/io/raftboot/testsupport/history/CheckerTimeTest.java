package io.raftboot.testsupport.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * How long the checker takes on a history of the size the fault tests record: 5,000 operations over
 * 20 keys, 5 clients, about 5% unknown outcomes. Measured and printed, not asserted (machines
 * differ); the assertions are on the verdicts, which must be conclusive.
 */
class CheckerTimeTest {

    /** Other shapes: -Dhistory.operations, .keys, .clients, .unknownRate, .jitter (simulated time units). */
    private static final HistoryGenerator.Shape SHAPE = new HistoryGenerator.Shape(
            Integer.getInteger("history.operations", 5_000),
            Integer.getInteger("history.keys", 20),
            Integer.getInteger("history.clients", 5),
            Double.parseDouble(System.getProperty("history.unknownRate", "0.05")),
            Integer.getInteger("history.jitter", 20));

    @Test
    void aFiveThousandOperationHistoryIsCheckedConclusively() {
        long seed = Long.getLong("history.seed", 42);
        List<Operation> history = HistoryGenerator.generate(new Random(seed), SHAPE);
        long unknown = history.stream().filter(Operation::isUnknown).count();
        LinearizabilityChecker.check(history); // warm-up: JIT

        long start = System.nanoTime();
        CheckResult accepted = LinearizabilityChecker.check(history);
        long acceptedMillis = (System.nanoTime() - start) / 1_000_000;

        List<Operation> stale = new ArrayList<>(history);
        assertThat(StaleRead.inject(stale, new Random(seed))).isTrue();
        start = System.nanoTime();
        CheckResult rejected = LinearizabilityChecker.check(stale);
        long rejectedMillis = (System.nanoTime() - start) / 1_000_000;

        System.out.printf(
                "CheckerTimeTest: seed %d, %d operations (%d unknown) over %d keys, %d clients, jitter %d:"
                        + " linearizable in %d ms (%d steps); with one stale read, rejected in %d ms (%d steps)%n",
                seed,
                history.size(),
                unknown,
                SHAPE.keys(),
                SHAPE.clients(),
                SHAPE.maxJitter(),
                acceptedMillis,
                accepted.stepsTaken(),
                rejectedMillis,
                rejected.stepsTaken());
        assertThat(accepted.linearizable()).as(accepted.explanation()).isTrue();
        assertThat(rejected.violation()).as(rejected.explanation()).isTrue();
    }
}
