package io.raftboot.testsupport.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Makes one read of a history stale in a way no linearization can explain: a read R that was
 * invoked after a write W2 completed, which was invoked after a write W1 completed (all three on one
 * key, W1 and W2 acknowledged and applied), is made to return what W1 wrote. Every value in a
 * generated history is unique, so only W1 can produce that state, and W2 changed it before R.
 */
final class StaleRead {

    private StaleRead() {
    }

    /** @return whether such a triple existed (and one read was changed) */
    static boolean inject(List<Operation> history, Random random) {
        List<int[]> candidates = new ArrayList<>();
        for (int r = 0; r < history.size(); r++) {
            Operation read = history.get(r);
            if (read.kind() != OpKind.READ || read.isUnknown()) {
                continue;
            }
            for (int w2 = 0; w2 < history.size(); w2++) {
                Operation second = history.get(w2);
                if (!changes(second) || !second.key().equals(read.key()) || second.completeNanos() >= read.invokeNanos()) {
                    continue;
                }
                for (int w1 = 0; w1 < history.size(); w1++) {
                    Operation first = history.get(w1);
                    if (writesAValue(first) && first.key().equals(read.key()) && first.completeNanos() < second.invokeNanos()) {
                        candidates.add(new int[] {r, w1});
                    }
                }
            }
        }
        if (candidates.isEmpty()) {
            return false;
        }
        int[] pick = candidates.get(random.nextInt(candidates.size()));
        Operation read = history.get(pick[0]);
        Operation first = history.get(pick[1]);
        history.set(pick[0], read.completed(read.completeNanos(), Result.read(first.value(), first.result().version())));
        return true;
    }

    private static boolean changes(Operation op) {
        return !op.isUnknown() && op.kind() != OpKind.READ && op.result().applied();
    }

    private static boolean writesAValue(Operation op) {
        return changes(op) && op.value() != null;
    }
}
