package io.raftboot.testsupport.history;

/**
 * The verdict of {@link LinearizabilityChecker#check}.
 *
 * @param linearizable the whole history is linearizable (false when inconclusive)
 * @param inconclusive the step budget ran out on {@code key} before a verdict: neither proved nor refuted
 * @param key the key whose history is not linearizable, or whose check ran out of budget; {@code null}
 *     when linearizable
 * @param explanation human-readable: for a violation the key, the longest linearizable prefix found
 *     and the operations that could not be placed after it
 * @param stepsTaken search steps over all keys checked (one step = one operation tried or one backtrack)
 */
public record CheckResult(boolean linearizable, boolean inconclusive, String key, String explanation, long stepsTaken) {

    public CheckResult {
        if (linearizable && inconclusive) {
            throw new IllegalArgumentException("a result cannot be both linearizable and inconclusive");
        }
    }

    /** Not linearizable, proven (the search was exhaustive). */
    public boolean violation() {
        return !linearizable && !inconclusive;
    }

    @Override
    public String toString() {
        return explanation;
    }
}
