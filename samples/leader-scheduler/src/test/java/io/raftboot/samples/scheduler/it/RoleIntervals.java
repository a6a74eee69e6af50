package io.raftboot.samples.scheduler.it;

import io.raftboot.samples.scheduler.it.LeaseIntervals.Interval;
import io.raftboot.samples.scheduler.it.LeaseIntervals.Line;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named roles as the applications saw them, read back from every node's {@code
 * role-probe.log} (the sample's RoleProbe, issue 16). A role's lines are a lease probe's lines
 * with the role's fencing token (the log index of the grant) where those carry the term, so each
 * role goes through {@link LeaseIntervals} unchanged: the same rules for incarnations, kills and
 * SIGSTOP, the same overlap check, one role at a time. On top: a role's tokens never go back, and
 * strictly increase from one holder to the next (a grant's index is new for every grant).
 */
final class RoleIntervals {

    private RoleIntervals() {}

    /** One line of a role-probe.log, {@code <nanoTime> <nodeId> <role> <token> <true|false>}, as its role and a lease line. */
    record RoleLine(String role, Line line) {
        static RoleLine parse(String text) {
            String[] f = text.trim().split(" ");
            if (f.length != 5 || !(f[4].equals("true") || f[4].equals("false"))) {
                throw new IllegalArgumentException("not a role probe line: '" + text + "'");
            }
            return new RoleLine(
                    f[2], new Line(Long.parseLong(f[0]), f[1], Long.parseLong(f[3]), Boolean.parseBoolean(f[4])));
        }
    }

    /** A node's file split by role, each role's lines in file order; empty if the file does not exist. */
    static Map<String, List<Line>> read(Path file) {
        Map<String, List<Line>> byRole = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return byRole;
        }
        try {
            for (String text : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                if (!text.isBlank()) {
                    RoleLine l = RoleLine.parse(text);
                    byRole.computeIfAbsent(l.role(), r -> new ArrayList<>()).add(l.line());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return byRole;
    }

    /** The true intervals of one role of all nodes, in the order they began. */
    static List<Interval> inTimeOrder(List<Interval> ofOneRole) {
        List<Interval> sorted = new ArrayList<>(ofOneRole);
        sorted.sort(Comparator.comparingLong(Interval::fromNanos));
        return sorted;
    }

    /**
     * Every place where the role's token went back, or stayed the same from one holder to the
     * next: the next holder's grant must be a newer entry of the log than the previous one's.
     */
    static List<String> tokenRegressions(String role, List<Interval> ofOneRole) {
        List<String> problems = new ArrayList<>();
        List<Interval> sorted = inTimeOrder(ofOneRole);
        for (int i = 1; i < sorted.size(); i++) {
            Interval prev = sorted.get(i - 1);
            Interval next = sorted.get(i);
            boolean newHolder = !prev.nodeId().equals(next.nodeId());
            if (newHolder ? next.term() <= prev.term() : next.term() < prev.term()) {
                problems.add(role + ": token " + next.term() + " of " + next.nodeId() + " after token " + prev.term()
                        + " of " + prev.nodeId() + ": " + prev + " then " + next);
            }
        }
        return problems;
    }

    /** How many times the role passed from one node to another. */
    static int holderChanges(List<Interval> ofOneRole) {
        List<Interval> sorted = inTimeOrder(ofOneRole);
        int changes = 0;
        for (int i = 1; i < sorted.size(); i++) {
            if (!sorted.get(i).nodeId().equals(sorted.get(i - 1).nodeId())) {
                changes++;
            }
        }
        return changes;
    }
}
