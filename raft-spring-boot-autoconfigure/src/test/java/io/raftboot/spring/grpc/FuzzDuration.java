package io.raftboot.spring.grpc;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code raft.fuzz.duration} system property: how long a Jazzer fuzz test fuzzes, in Jazzer's
 * duration syntax ({@code 30s}, {@code 10m}, {@code 1h 30m}; a bare number is seconds).
 */
final class FuzzDuration {

    static final String PROPERTY = "raft.fuzz.duration";

    private static final Pattern PART = Pattern.compile("(\\d+)\\s*([hms]?)");

    private FuzzDuration() {}

    /** @throws IllegalArgumentException naming the property if {@code text} is not a positive duration */
    static long seconds(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = PART.matcher(t);
        long seconds = 0;
        int end = 0;
        while (m.find()) {
            if (!t.substring(end, m.start()).isBlank()) {
                break;
            }
            long n = Long.parseLong(m.group(1));
            seconds += switch (m.group(2)) {
                case "h" -> n * 3600;
                case "m" -> n * 60;
                default -> n;
            };
            end = m.end();
        }
        if (end == 0 || !t.substring(end).isBlank() || seconds <= 0) {
            throw new IllegalArgumentException(
                    "-D" + PROPERTY + "=" + text + " is not a positive duration such as 30s, 10m or 1h 30m");
        }
        return seconds;
    }
}
