package io.raftboot.testsupport.process;

import java.util.ArrayList;
import java.util.List;

/**
 * One run of a node's process as the test drove it: when it was started, paused and ended, in
 * {@link System#nanoTime()}. All processes run on one machine, so these instants share a time
 * line with what the nodes stamp themselves (CLOCK_MONOTONIC). Each instant is taken on the side
 * that makes an analysis conservative; {@link NodeProcess} says which. Mutated only by its
 * {@link NodeProcess}; readers get copies.
 */
public final class Incarnation {

    private final long startedNanos;
    private long endedNanos = Long.MAX_VALUE;
    private String endedBy = "still running at the analysis";
    private final List<Pause> pauses = new ArrayList<>();
    private long stoppedNanos = Long.MIN_VALUE;

    Incarnation(long startedNanos) {
        this.startedNanos = startedNanos;
    }

    /** One with this history, for tests of an analysis. */
    public static Incarnation of(long startedNanos, long endedNanos, String endedBy, List<Pause> pauses) {
        Incarnation i = new Incarnation(startedNanos);
        i.endedNanos = endedNanos;
        i.endedBy = endedBy;
        i.pauses.addAll(pauses);
        return i;
    }

    /** Taken before the process was launched: everything it wrote comes later. */
    public long startedNanos() {
        return startedNanos;
    }

    /** {@link Long#MAX_VALUE} while it runs. */
    public synchronized long endedNanos() {
        return endedNanos;
    }

    /** {@code kill -9}, {@code SIGTERM}, {@code exit}, or that it still runs. */
    public synchronized String endedBy() {
        return endedBy;
    }

    public synchronized boolean hasEnded() {
        return endedNanos != Long.MAX_VALUE;
    }

    /** Its SIGSTOP pauses, in order; one that lasted to its end ends there. */
    public synchronized List<Pause> pauses() {
        return List.copyOf(pauses);
    }

    synchronized void stopped(long nanos) {
        stoppedNanos = nanos;
    }

    synchronized void resumed(long nanos) {
        if (stoppedNanos != Long.MIN_VALUE) {
            pauses.add(new Pause(stoppedNanos, nanos));
            stoppedNanos = Long.MIN_VALUE;
        }
    }

    synchronized void ended(long nanos, String how) {
        // Killed while stopped: the pause lasts to the end.
        resumed(nanos);
        endedNanos = nanos;
        endedBy = how;
    }

    synchronized Incarnation copy() {
        Incarnation c = of(startedNanos, endedNanos, endedBy, pauses);
        c.stoppedNanos = stoppedNanos;
        return c;
    }

    @Override
    public synchronized String toString() {
        return "started " + startedNanos + (hasEnded() ? ", ended " + endedNanos + " by " + endedBy : ", running")
                + ", pauses " + pauses;
    }
}
