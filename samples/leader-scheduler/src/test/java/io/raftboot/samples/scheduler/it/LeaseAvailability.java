package io.raftboot.samples.scheduler.it;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * How much of a time window some node held the lease, read from the nodes' lease-probe lines
 * ({@link LeaseIntervals.Line}): the union of every node's true spans, the holes in it, and how
 * often a holder lost the lease. For processes that ran through the whole window (no kill, no
 * SIGSTOP), where a node's state between two lines is the earlier line's.
 *
 * @param windowNanos the length of the window
 * @param heldNanos how long some node held the lease within it
 * @param holes spans of the window with no holder
 * @param losses true-to-false changes within the window, over all nodes
 */
record LeaseAvailability(long windowNanos, long heldNanos, int holes, int losses) {

    static LeaseAvailability of(Collection<List<LeaseIntervals.Line>> nodes, long fromNanos, long toNanos) {
        List<long[]> spans = new ArrayList<>();
        int losses = 0;
        for (List<LeaseIntervals.Line> lines : nodes) {
            boolean held = false;
            long since = fromNanos;
            for (LeaseIntervals.Line line : lines) {
                if (line.nanos() >= toNanos) {
                    break;
                }
                long at = Math.max(fromNanos, line.nanos());
                if (held && !line.leader()) {
                    spans.add(new long[] {since, at});
                    if (line.nanos() >= fromNanos) {
                        losses++;
                    }
                } else if (!held && line.leader()) {
                    since = at;
                }
                held = line.leader();
            }
            if (held) {
                spans.add(new long[] {since, toNanos});
            }
        }
        spans.sort(Comparator.comparingLong(s -> s[0]));
        long heldNanos = 0;
        int holes = 0;
        long covered = fromNanos;
        for (long[] span : spans) {
            if (span[1] <= covered) {
                continue;
            }
            if (span[0] > covered) {
                holes++;
            }
            heldNanos += span[1] - Math.max(span[0], covered);
            covered = span[1];
        }
        if (covered < toNanos) {
            holes++;
        }
        return new LeaseAvailability(toNanos - fromNanos, heldNanos, holes, losses);
    }

    /** The time without a lease-holder. */
    long unheldMillis() {
        return (windowNanos - heldNanos) / 1_000_000;
    }

    @Override
    public String toString() {
        return String.format(
                "lease held %.1f%% of %d ms (%d ms without a holder, %d holes, %d losses)",
                100.0 * heldNanos / windowNanos, windowNanos / 1_000_000, unheldMillis(), holes, losses);
    }
}
