package io.raftboot.testsupport.history;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Makes one read of a history stale in a way no linearization can explain: a read R that was
 * invoked after a write W2 completed, which was invoked after a write W1 completed (all three on one
 * key, W1 and W2 acknowledged and applied), is made to return what W1 wrote. Every value in a
 * generated history is unique, so only W1 can produce that state, and W2 changed it before R.
 */
final class StaleRead {

    private StaleRead() {}

    /** @return whether such a triple existed (and one read was changed) */
    static boolean inject(List<Operation> history, Random random) {
        List<Integer> reads = new ArrayList<>();
        for (int r = 0; r < history.size(); r++) {
            if (history.get(r).kind() == OpKind.READ && !history.get(r).isUnknown()) {
                reads.add(r);
            }
        }
        Collections.shuffle(reads, random);
        for (int r : reads) {
            Operation read = history.get(r);
            // The second write invoked last among those done before the read leaves the most first writes.
            Operation second = null;
            for (Operation op : history) {
                if (changes(op)
                        && op.key().equals(read.key())
                        && op.completeNanos() < read.invokeNanos()
                        && (second == null || op.invokeNanos() > second.invokeNanos())) {
                    second = op;
                }
            }
            if (second == null) {
                continue;
            }
            List<Operation> firsts = new ArrayList<>();
            for (Operation op : history) {
                if (writesAValue(op) && op.key().equals(read.key()) && op.completeNanos() < second.invokeNanos()) {
                    firsts.add(op);
                }
            }
            if (!firsts.isEmpty()) {
                Operation first = firsts.get(random.nextInt(firsts.size()));
                history.set(
                        r,
                        read.completed(
                                read.completeNanos(),
                                Result.read(first.value(), first.result().version())));
                return true;
            }
        }
        return false;
    }

    private static boolean changes(Operation op) {
        return !op.isUnknown() && op.kind() != OpKind.READ && op.result().applied();
    }

    private static boolean writesAValue(Operation op) {
        return changes(op) && op.value() != null;
    }
}
