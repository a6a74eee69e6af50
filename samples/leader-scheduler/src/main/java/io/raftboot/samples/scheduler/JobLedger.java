package io.raftboot.samples.scheduler;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * What the {@link LeaderJob} did on this node since it started: runs in total, and per term
 * (fencing token) how many runs and the wall-clock time of the first and the last. Kept in
 * memory: a restarted node starts over.
 */
@Component
public class JobLedger {

    /** Terms kept in {@link #runTerms()}; older ones are dropped. */
    static final int MAX_TERMS = 1000;

    /**
     * The runs of one term on this node.
     *
     * @param firstRunMillis {@link System#currentTimeMillis()} of the first run in the term
     * @param lastRunMillis and of the last
     */
    public record TermRuns(long runs, long firstRunMillis, long lastRunMillis) {}

    private final TreeMap<Long, TermRuns> byTerm = new TreeMap<>();
    private long runs;
    private long lastRunTerm;

    public synchronized void record(long term, long atMillis) {
        runs++;
        lastRunTerm = term;
        byTerm.merge(
                term,
                new TermRuns(1, atMillis, atMillis),
                (old, one) -> new TermRuns(
                        old.runs() + 1,
                        Math.min(old.firstRunMillis(), atMillis),
                        Math.max(old.lastRunMillis(), atMillis)));
        while (byTerm.size() > MAX_TERMS) {
            byTerm.pollFirstEntry();
        }
    }

    public synchronized long runs() {
        return runs;
    }

    /** The term of the last run, 0 if the job never ran here. */
    public synchronized long lastRunTerm() {
        return lastRunTerm;
    }

    /** Runs per term, in term order. */
    public synchronized Map<Long, TermRuns> runTerms() {
        return new LinkedHashMap<>(byTerm);
    }
}
