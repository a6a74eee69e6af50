package io.raftboot.spring.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings every member must share, written as {@code name=value,...} so that a refusal can
 * say which value differs, not only that a hash does ({@link ClusterSettings#fingerprint()}).
 */
public final class SettingsFingerprint {

    private SettingsFingerprint() {}

    static String of(Duration electionTimeout, Duration heartbeatInterval, double maxClockDrift) {
        return "raft.election-timeout=" + electionTimeout.toMillis() + "ms,raft.heartbeat-interval="
                + heartbeatInterval.toMillis() + "ms,raft.max-clock-drift=" + maxClockDrift;
    }

    /**
     * What differs between two fingerprints, e.g. {@code raft.election-timeout: 500ms there,
     * 300ms here}; empty if they agree, or if {@code theirs} is empty (an earlier release that
     * sends none).
     */
    public static List<String> differences(String theirs, String ours) {
        List<String> differences = new ArrayList<>();
        if (theirs == null || theirs.isEmpty() || theirs.equals(ours)) {
            return differences;
        }
        Map<String, String> there = parse(theirs);
        Map<String, String> here = parse(ours);
        for (Map.Entry<String, String> e : here.entrySet()) {
            String value = there.get(e.getKey());
            if (!e.getValue().equals(value)) {
                differences.add(
                        e.getKey() + ": " + (value == null ? "not sent" : value) + " there, " + e.getValue() + " here");
            }
        }
        if (differences.isEmpty()) {
            // Same values under other names or more of them: a newer release; say so rather than nothing.
            differences.add("settings '" + theirs + "' there, '" + ours + "' here");
        }
        return differences;
    }

    private static Map<String, String> parse(String fingerprint) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : fingerprint.split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return values;
    }
}
