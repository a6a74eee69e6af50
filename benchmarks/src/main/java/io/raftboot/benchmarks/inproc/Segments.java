package io.raftboot.benchmarks.inproc;

import io.raftboot.benchmarks.Result;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where a series' time goes: each sample split at instants the scenario observes (for a write:
 * applied on the leader, applied on the node it was submitted to, returned), each segment's
 * percentiles reported apart. Percentiles of segments do not add up to the total's; they say
 * which step the slow samples are slow in.
 */
final class Segments {

    private final Map<String, List<Double>> segments = new LinkedHashMap<>();

    /** Adds one sample's segment {@code name} (in the order first added). */
    void add(String name, double ms) {
        segments.computeIfAbsent(name, k -> new ArrayList<>()).add(ms);
    }

    String describe(String series) {
        return series + ", by step (p50 / p99 ms): "
                + segments.entrySet().stream()
                        .map(e -> {
                            double[] v = e.getValue().stream()
                                    .mapToDouble(Double::doubleValue)
                                    .sorted()
                                    .toArray();
                            return String.format(
                                    Locale.ROOT, "%s %.2f / %.2f", e.getKey(), Result.pct(v, 50), Result.pct(v, 99));
                        })
                        .collect(Collectors.joining("; "));
    }
}
