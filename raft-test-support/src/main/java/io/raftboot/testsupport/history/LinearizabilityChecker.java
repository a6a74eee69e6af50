package io.raftboot.testsupport.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Checks that a history of operations on the replicated config store is linearizable (Herlihy &amp;
 * Wing 1990): that there is one sequential order of the operations, consistent with real time (an
 * operation that completed before another was invoked comes first) and with the store's sequential
 * specification ({@link ConfigStoreModel}, the semantics of {@code io.raftboot.core.store.ConfigStore}),
 * in which every operation with a known outcome answers what it answered.
 *
 * <p>Keys are independent (a history is linearizable iff each key's sub-history is: locality,
 * Herlihy &amp; Wing Theorem 1), so each key is searched on its own ({@link KeyHistorySearch}: Wing
 * &amp; Gong's search with Lowe's memoisation, as Porcupine and Knossos do it). Operations with an
 * unknown outcome may take effect at any single point after their invocation, or never; a READ with
 * an unknown outcome constrains nothing and is left out.
 *
 * <p>The search is exponential in the worst case (checking linearizability is NP-complete), so it
 * has a step budget per key (and stops when its cache outgrows a quarter of the heap); a key that
 * exhausts it makes the result
 * {@linkplain CheckResult#inconclusive() inconclusive}, never "linearizable".
 */
public final class LinearizabilityChecker {

    /**
     * Steps allowed per key by {@link #check(List)}, about 10 to 20 s of search. Measured: a
     * 5,000-operation history over 20 keys with 5 clients and 5% unknown outcomes takes under 20,000
     * steps in total, accepted or rejected (docs/testing.md).
     */
    public static final long DEFAULT_STEP_BUDGET_PER_KEY = 20_000_000;

    private LinearizabilityChecker() {}

    /** {@link #check(List, long)} with {@link #DEFAULT_STEP_BUDGET_PER_KEY}. */
    public static CheckResult check(List<Operation> history) {
        return check(history, DEFAULT_STEP_BUDGET_PER_KEY);
    }

    /**
     * @param history the operations, in any order
     * @param stepBudgetPerKey the most search steps for any one key before the result is inconclusive
     * @return linearizable, a violation (the first key, in key order, that has one), or inconclusive
     *     (no key has a violation, but some key's search ran out of budget)
     */
    public static CheckResult check(List<Operation> history, long stepBudgetPerKey) {
        Objects.requireNonNull(history, "history");
        if (stepBudgetPerKey < 1) {
            throw new IllegalArgumentException("the step budget must be at least 1, got " + stepBudgetPerKey);
        }
        Map<String, List<Operation>> byKey = new TreeMap<>();
        int unknown = 0;
        for (Operation op : history) {
            Objects.requireNonNull(op, "an operation of the history is null");
            unknown += op.isUnknown() ? 1 : 0;
            if (op.isUnknown() && op.kind() == OpKind.READ) {
                continue; // may have read anything, changed nothing
            }
            byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }
        long steps = 0;
        KeyHistorySearch.Verdict firstInconclusive = null;
        String inconclusiveKey = null;
        for (Map.Entry<String, List<Operation>> e : byKey.entrySet()) {
            KeyHistorySearch.Verdict verdict = KeyHistorySearch.search(e.getKey(), e.getValue(), stepBudgetPerKey);
            steps += verdict.steps();
            if (verdict.inconclusive()) {
                if (firstInconclusive == null) {
                    firstInconclusive = verdict;
                    inconclusiveKey = e.getKey();
                }
            } else if (!verdict.linearizable()) {
                return new CheckResult(false, false, e.getKey(), verdict.explanation(), steps);
            }
        }
        if (firstInconclusive != null) {
            return new CheckResult(
                    false, true, inconclusiveKey, "inconclusive: " + firstInconclusive.explanation(), steps);
        }
        return new CheckResult(
                true,
                false,
                null,
                "linearizable: " + history.size() + " operations (" + unknown + " with unknown outcome) on "
                        + byKey.size() + " keys, " + steps + " steps",
                steps);
    }
}
