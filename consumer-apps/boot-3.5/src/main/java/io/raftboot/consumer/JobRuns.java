package io.raftboot.consumer;

import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/** How often the {@link LeaderOnlyJob} ran on this node, per term (the term it held the lease in). */
@Component
public class JobRuns {

    private final TreeMap<Long, Long> byTerm = new TreeMap<>();

    public synchronized void record(long term) {
        byTerm.merge(term, 1L, Long::sum);
    }

    /** Runs per term, in term order. */
    public synchronized Map<Long, Long> byTerm() {
        return new TreeMap<>(byTerm);
    }

    public synchronized long total() {
        return byTerm.values().stream().mapToLong(Long::longValue).sum();
    }
}
