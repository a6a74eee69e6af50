package io.raftboot.testsupport.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The checker against the definition, on small histories: a brute-force search over every order of
 * the operations (written here, with its own model of the store) that respects real time, where an
 * operation with an unknown outcome may be left out. Histories are generated linearizable and then
 * some answers are changed at random, so both verdicts occur; the two must always agree.
 */
class BruteForceCrossCheckTest {

    private static final int SEEDS = Integer.getInteger("history.seeds", 500) * 4;

    @Test
    void theCheckerAgreesWithABruteForceSearchOnSmallHistories() {
        int linearizable = 0;
        int violations = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            Random random = new Random(seed);
            List<Operation> history =
                    perturb(HistoryGenerator.generate(random, new HistoryGenerator.Shape(7, 1, 3, 0.2, 8)), random);

            boolean expected = BruteForce.linearizable(history);
            CheckResult result = LinearizabilityChecker.check(history);

            assertThat(result.inconclusive()).as("seed %d", seed).isFalse();
            assertThat(result.linearizable())
                    .as("seed %d: %s\n%s", seed, result.explanation(), history)
                    .isEqualTo(expected);
            if (expected) {
                linearizable++;
            } else {
                violations++;
            }
        }
        System.out.println("BruteForceCrossCheckTest: " + SEEDS + " small histories, " + linearizable
                + " linearizable and " + violations + " not, the checker agreed on all");
        assertThat(linearizable).isGreaterThan(SEEDS / 10);
        assertThat(violations).isGreaterThan(SEEDS / 10);
    }

    /** Changes each answer with probability 1/4: another version, another value, applied flipped. */
    private static List<Operation> perturb(List<Operation> history, Random random) {
        List<Operation> changed = new ArrayList<>(history);
        for (int i = 0; i < changed.size(); i++) {
            Operation op = changed.get(i);
            if (op.isUnknown() || random.nextInt(4) != 0) {
                continue;
            }
            Result r = op.result();
            Result wrong = switch (random.nextInt(3)) {
                case 0 ->
                    new Result(r.applied(), r.value(), Math.max(0, r.version() + (random.nextBoolean() ? 1 : -1)));
                case 1 ->
                    new Result(
                            r.applied(),
                            op.kind() == OpKind.READ
                                    ? (random.nextBoolean()
                                            ? null
                                            : history.get(random.nextInt(history.size()))
                                                    .value())
                                    : r.value(),
                            r.version());
                default -> new Result(!r.applied(), r.value(), r.version());
            };
            changed.set(i, op.completed(op.completeNanos(), wrong));
        }
        return changed;
    }

    /** The definition, by exhaustion; exponential, for a handful of operations only. */
    private static final class BruteForce {

        private record State(String value, long version) {}

        static boolean linearizable(List<Operation> history) {
            return search(history, new boolean[history.size()], new State(null, 0));
        }

        private static boolean search(List<Operation> ops, boolean[] placed, State state) {
            boolean allKnownPlaced = true;
            for (int i = 0; i < ops.size(); i++) {
                allKnownPlaced &= placed[i] || ops.get(i).isUnknown();
            }
            if (allKnownPlaced) {
                return true; // the unknown ones left over never took effect
            }
            for (int i = 0; i < ops.size(); i++) {
                if (placed[i] || !mayGoNext(ops, placed, i)) {
                    continue;
                }
                Operation op = ops.get(i);
                State after = apply(state, op);
                if (after == null) {
                    continue;
                }
                placed[i] = true;
                boolean found = search(ops, placed, after);
                placed[i] = false;
                if (found) {
                    return true;
                }
            }
            return false;
        }

        /** No operation still to place completed before {@code i} was invoked. */
        private static boolean mayGoNext(List<Operation> ops, boolean[] placed, int i) {
            for (int j = 0; j < ops.size(); j++) {
                Operation other = ops.get(j);
                if (j != i
                        && !placed[j]
                        && !other.isUnknown()
                        && other.completeNanos() < ops.get(i).invokeNanos()) {
                    return false;
                }
            }
            return true;
        }

        /** The state after {@code op}, or null if its answer is not the store's. */
        private static State apply(State s, Operation op) {
            boolean present = s.version() > 0;
            State after;
            boolean applied;
            switch (op.kind()) {
                case READ -> {
                    return op.isUnknown()
                                    || (Objects.equals(op.result().value(), s.value())
                                            && op.result().version() == s.version())
                            ? s
                            : null;
                }
                case PUT -> {
                    after = new State(op.value(), s.version() + 1);
                    applied = true;
                }
                case DELETE -> {
                    after = new State(null, 0);
                    applied = present;
                }
                default -> {
                    applied = s.version() == op.expectedVersion();
                    after = !applied
                            ? s
                            : op.value() == null ? new State(null, 0) : new State(op.value(), s.version() + 1);
                }
            }
            if (op.isUnknown()) {
                return after;
            }
            return op.result().applied() == applied && op.result().version() == after.version() ? after : null;
        }
    }
}
