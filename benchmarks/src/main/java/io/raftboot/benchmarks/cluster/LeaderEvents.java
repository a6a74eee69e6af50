package io.raftboot.benchmarks.cluster;

import io.raftboot.testsupport.process.NodeProcess;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What each node's protocol thread logged about the leader it knows, read from the node's log
 * file from a given offset on. The failover scenarios time leader changes with these lines'
 * own timestamps (milliseconds, one clock for all processes on this machine) instead of polling
 * the nodes' HTTP status: polling every 5 ms (600 requests per second on 2 cores) slowed the
 * very failover it measured, and was more work for our nodes (Tomcat + Spring Security) than
 * for the Ratis adapter (the JDK's HttpServer).
 *
 * <p>Lines read, ours ({@code RaftNode}, {@code LeadershipTracker}):
 * {@code n1: term 2: became LEADER}, {@code n2: term 2: FOLLOWER, leader n1|null},
 * {@code n2: term 2: starting pre-vote|election}, {@code n1: term 2: transferring leadership to n2}
 * (its lease ends there), {@code Node n1: leadership granted in term 2},
 * {@code Node n1: leadership revoked (term 2, ...)}.
 * Ratis ({@code RaftServer$Division}): {@code change Leader from a to b|null at term 5},
 * {@code changes role from X to CANDIDATE at term 5}. Both logs start with an ISO-8601 UTC
 * timestamp (the Ratis adapter's logback.xml is set so).
 */
public final class LeaderEvents {

    /** One line: {@code leader} is the leader the node now knows, {@code null} for none. */
    public record Event(String node, long epochMillis, long term, Kind kind, String leader) {

        /** For the timeline plot: 2 leader, 1 candidate, 0 follower (with or without a leader). */
        public int level() {
            return switch (kind) {
                case KNOWS -> node.equals(leader) ? 2 : 0;
                case LEASE, LEASE_ENDED -> 2;
                case CAMPAIGNS -> 1;
                case LOST -> 0;
            };
        }
    }

    public enum Kind {
        /** Leads, or follows {@code leader}. */
        KNOWS,
        /** Left its leader without campaigning (a higher term seen), or a leader handing over. */
        LOST,
        /** Started a pre-vote or an election. */
        CAMPAIGNS,
        /** Ours only: the leader's lease holds, {@code isLeader()} is true from here. */
        LEASE,
        /** Ours only: {@code isLeader()} turned false (a leader handing over gives up its lease first). */
        LEASE_ENDED
    }

    /** Spring Boot's default (local offset, or Z in UTC) and the Ratis adapter's (UTC). */
    private static final Pattern TIMESTAMP =
            Pattern.compile("^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(?:Z|[+-]\\d\\d:\\d\\d))");

    private static final Pattern OURS_LEADER = Pattern.compile(": (\\S+): term (\\d+): became LEADER$");
    private static final Pattern OURS_FOLLOWER = Pattern.compile(": \\S+: term (\\d+): FOLLOWER, leader (\\S+)$");
    private static final Pattern OURS_CAMPAIGN = Pattern.compile(": \\S+: term (\\d+): starting (pre-vote|election)");
    private static final Pattern OURS_TRANSFER =
            Pattern.compile(": \\S+: term (\\d+): transferring leadership to \\S+$");
    private static final Pattern OURS_REVOKED = Pattern.compile("Node \\S+: leadership revoked \\(term (\\d+),");
    private static final Pattern OURS_LEASE = Pattern.compile("Node \\S+: leadership granted in term (\\d+)$");
    private static final Pattern RATIS_LEADER =
            Pattern.compile("@group-\\w+: change Leader from \\S+ to (\\S+) at term (\\d+)");
    private static final Pattern RATIS_CANDIDATE =
            Pattern.compile("@group-\\w+: changes role from\\s+\\w+ to CANDIDATE at term (\\d+)");

    private LeaderEvents() {}

    /** The log's current length: read events from here on. */
    public static long mark(Path log) {
        try {
            return Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + log, e);
        }
    }

    /** Each node's {@link #mark}, by node id: read what they log after a fault from here on. */
    public static Map<String, Long> marks(Collection<NodeProcess> nodes) {
        Map<String, Long> marks = new HashMap<>();
        for (NodeProcess n : nodes) {
            marks.put(n.id(), mark(n.logFile()));
        }
        return marks;
    }

    /** The events {@code node} logged from byte {@code offset} on, in file order. */
    public static List<Event> read(Path log, String node, long offset) {
        List<Event> events = new ArrayList<>();
        for (String line : lines(log, offset)) {
            Event e = parse(node, line);
            if (e != null) {
                events.add(e);
            }
        }
        return events;
    }

    /**
     * The whole lines of {@code log} from byte {@code offset} on; a line still being written is
     * left for the next read. Shared with {@link RoleEvents}.
     */
    static List<String> lines(Path log, long offset) {
        if (!Files.exists(log)) {
            return List.of();
        }
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long length = f.length();
            if (length <= offset) {
                return List.of();
            }
            byte[] bytes = new byte[(int) (length - offset)];
            f.seek(offset);
            f.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n');
            return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + log, e);
        }
    }

    /** The line's own timestamp in epoch milliseconds, -1 if it has none (a stack trace line). */
    static long epochMillis(String line) {
        Matcher ts = TIMESTAMP.matcher(line);
        return ts.find() ? OffsetDateTime.parse(ts.group(1)).toInstant().toEpochMilli() : -1;
    }

    static Event parse(String node, String line) {
        long at = epochMillis(line);
        if (at < 0) {
            return null;
        }
        Matcher m;
        if ((m = OURS_LEADER.matcher(line)).find()) {
            return new Event(node, at, Long.parseLong(m.group(2)), Kind.KNOWS, node);
        }
        if ((m = OURS_FOLLOWER.matcher(line)).find()) {
            String leader = m.group(2).equals("null") ? null : m.group(2);
            return new Event(node, at, Long.parseLong(m.group(1)), leader == null ? Kind.LOST : Kind.KNOWS, leader);
        }
        if ((m = OURS_CAMPAIGN.matcher(line)).find()) {
            return new Event(node, at, Long.parseLong(m.group(1)), Kind.CAMPAIGNS, null);
        }
        if ((m = OURS_TRANSFER.matcher(line)).find()) {
            // The leader's lease ends here (it sends TimeoutNow next): from now on nobody leads.
            return new Event(node, at, Long.parseLong(m.group(1)), Kind.LOST, null);
        }
        if ((m = OURS_REVOKED.matcher(line)).find()) {
            return new Event(node, at, Long.parseLong(m.group(1)), Kind.LEASE_ENDED, node);
        }
        if ((m = OURS_LEASE.matcher(line)).find()) {
            return new Event(node, at, Long.parseLong(m.group(1)), Kind.LEASE, node);
        }
        if ((m = RATIS_LEADER.matcher(line)).find()) {
            String leader = m.group(1).equals("null") ? null : m.group(1);
            return new Event(node, at, Long.parseLong(m.group(2)), leader == null ? Kind.LOST : Kind.KNOWS, leader);
        }
        if ((m = RATIS_CANDIDATE.matcher(line)).find()) {
            return new Event(node, at, Long.parseLong(m.group(1)), Kind.CAMPAIGNS, null);
        }
        return null;
    }
}
