package io.raftboot.samples.scheduler.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The runs of the leader-only job per node and term, merged from many {@code /jobs} answers
 * (a killed node's answers are kept; its restarted process starts counting again).
 */
final class JobHistory {

    /** The runs of one node in one term. */
    record TermRuns(String nodeId, long term, long runs, long firstRunMillis, long lastRunMillis) {}

    private final Map<String, Map<Long, TermRuns>> byNode = new HashMap<>();

    synchronized void merge(String nodeId, JsonNode jobs) {
        Map<Long, TermRuns> terms = byNode.computeIfAbsent(nodeId, k -> new HashMap<>());
        JsonNode runTerms = jobs.get("runTerms");
        if (runTerms == null) {
            return;
        }
        for (Map.Entry<String, JsonNode> e : runTerms.properties()) {
            long term = Long.parseLong(e.getKey());
            JsonNode r = e.getValue();
            TermRuns seen = new TermRuns(
                    nodeId,
                    term,
                    r.get("runs").asLong(),
                    r.get("firstRunMillis").asLong(),
                    r.get("lastRunMillis").asLong());
            terms.merge(
                    term,
                    seen,
                    (a, b) -> new TermRuns(
                            nodeId,
                            term,
                            Math.max(a.runs(), b.runs()),
                            Math.min(a.firstRunMillis(), b.firstRunMillis()),
                            Math.max(a.lastRunMillis(), b.lastRunMillis())));
        }
    }

    /** Every (node, term) with runs, by term. */
    synchronized List<TermRuns> all() {
        List<TermRuns> all = new ArrayList<>();
        byNode.values().forEach(m -> all.addAll(m.values()));
        all.sort(Comparator.comparingLong(TermRuns::term).thenComparing(TermRuns::nodeId));
        return all;
    }

    synchronized long totalRuns() {
        return all().stream().mapToLong(TermRuns::runs).sum();
    }

    /**
     * What breaks "one runner at a time": a term with runs on two nodes, a term whose runner is
     * not the node seen leading it, or runs of an older term that end after runs of a newer term
     * began (all nodes share this machine's clock).
     */
    synchronized List<String> violations(Map<Long, String> leaderOfTerm) {
        List<String> problems = new ArrayList<>();
        List<TermRuns> all = all();
        Map<Long, TermRuns> runnerOfTerm = new HashMap<>();
        for (TermRuns r : all) {
            TermRuns other = runnerOfTerm.putIfAbsent(r.term(), r);
            if (other != null) {
                problems.add("the leader-only job ran on two nodes in term " + r.term() + ": " + other + " and " + r);
            }
            String leader = leaderOfTerm.get(r.term());
            if (leader != null && !leader.equals(r.nodeId())) {
                problems.add("the leader-only job ran on " + r.nodeId() + " in term " + r.term() + " led by " + leader
                        + ": " + r);
            }
        }
        TermRuns latestEnding = null;
        for (TermRuns r : all) {
            if (latestEnding != null
                    && latestEnding.term() < r.term()
                    && latestEnding.lastRunMillis() > r.firstRunMillis()) {
                problems.add("runs overlap in time: " + latestEnding + " ran until after " + r + " began");
            }
            if (latestEnding == null || r.lastRunMillis() > latestEnding.lastRunMillis()) {
                latestEnding = r;
            }
        }
        return problems;
    }
}
