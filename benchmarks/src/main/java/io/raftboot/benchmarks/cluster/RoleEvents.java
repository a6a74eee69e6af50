package io.raftboot.benchmarks.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Raft leader's role decisions, read from its log (issue 16, {@code RoleAssigner}):
 * {@code n1: term 3: revoking role r4 from n2 (lost); grantable again in 0 ticks} and
 * {@code n1: term 3: granting role r4 to n3}. A decision is logged when the leader plans the
 * configuration entry, before it commits; the failover scenario uses them to split a role's
 * failover into detection, the wait for the old holder's proof to run out, and the grant.
 */
public final class RoleEvents {

    public enum Kind {
        REVOKED,
        GRANTED
    }

    /** @param reason why a role was revoked (lost, released, ...), empty for a grant */
    public record Event(
            String leader, long epochMillis, long term, Kind kind, String role, String node, String reason) {}

    private static final Pattern REVOKED =
            Pattern.compile(": (\\S+): term (\\d+): revoking role (\\S+) from (\\S+) \\(([^)]*)\\)");
    private static final Pattern GRANTED = Pattern.compile(": (\\S+): term (\\d+): granting role (\\S+) to (\\S+)$");

    private RoleEvents() {}

    /** The role decisions logged in {@code log} from byte {@code offset} on, in file order. */
    public static List<Event> read(Path log, long offset) {
        List<Event> events = new ArrayList<>();
        for (String line : LeaderEvents.lines(log, offset)) {
            parse(line).ifPresent(events::add);
        }
        return events;
    }

    static Optional<Event> parse(String line) {
        long at = LeaderEvents.epochMillis(line);
        if (at < 0) {
            return Optional.empty();
        }
        Matcher m;
        if ((m = REVOKED.matcher(line)).find()) {
            return Optional.of(new Event(
                    m.group(1), at, Long.parseLong(m.group(2)), Kind.REVOKED, m.group(3), m.group(4), m.group(5)));
        }
        if ((m = GRANTED.matcher(line)).find()) {
            return Optional.of(
                    new Event(m.group(1), at, Long.parseLong(m.group(2)), Kind.GRANTED, m.group(3), m.group(4), ""));
        }
        return Optional.empty();
    }
}
