package io.raftboot.samples.scheduler.it;

import io.raftboot.testsupport.process.Incarnation;
import io.raftboot.testsupport.process.Pause;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The lease as the applications saw it, read back from every node's {@code lease-probe.log}
 * (written by the sample's LeaseProbe with {@code sample.lease-probe=true}), and the check that
 * no two nodes ever held it at the same instant. All processes run on this machine, so their
 * {@code System.nanoTime()} stamps share one time line (CLOCK_MONOTONIC).
 *
 * <p>The rules, from the file's own (see the sample's LeaseProbe) and from what the test did to
 * the process (its {@link Incarnation}s):
 * <ol>
 *   <li>A node's file holds all its incarnations (the same data directory across restarts); a
 *       line belongs to the incarnation started last before its stamp (the start instant is
 *       taken before the process is launched).</li>
 *   <li>A true interval runs from a {@code true} line to the next line of the same incarnation.
 *       The probe stamps a true line before its {@code isLeader()} call and a false line after,
 *       so the interval covers what the application could have seen.</li>
 *   <li>The last true interval of an incarnation ends when the process died: for {@code kill -9}
 *       at the instant the test took just before sending the signal (or at the last line, if the
 *       process wrote one later: it was still running); for a graceful stop (SIGTERM) at the
 *       instant the test saw the process gone, which is late, so conservative; for a process
 *       still running, at the instant of the analysis.</li>
 *   <li>SIGSTOP: a stopped process neither samples nor acts, so its true interval ends at the
 *       instant the test took right after sending SIGSTOP (or at its last line, if later). The
 *       line the file holds when it resumes is stale: the probe writes the first sample after a
 *       pause of more than 20 ms even when it is an unchanged {@code true}, so a lease held after
 *       the pause begins a new interval at that line, and a {@code false} line after the pause
 *       means it never held the lease after resuming. The stale span between SIGCONT and that
 *       first sample is not a true interval. A process killed while stopped ends at the stop.</li>
 * </ol>
 */
final class LeaseIntervals {

    /**
     * The lease held by {@code nodeId} in {@code term} from {@code fromNanos} (incl.) to {@code toNanos} (excl.).
     * For a named role ({@link RoleIntervals}) {@code term} is the role's fencing token, the log index of the grant.
     */
    record Interval(String nodeId, long term, long fromNanos, long toNanos, String endedBy) {
        boolean overlaps(Interval other) {
            return fromNanos < other.toNanos && other.fromNanos < toNanos;
        }

        @Override
        public String toString() {
            return nodeId + " term " + term + " [" + fromNanos + ", " + toNanos + ") " + (toNanos - fromNanos) / 1000
                    + " us, ended by " + endedBy;
        }
    }

    /** One line of a lease-probe.log (or of one role in a role-probe.log, the token as {@code term}). */
    record Line(long nanos, String nodeId, long term, boolean leader) {
        static Line parse(String text) {
            String[] f = text.trim().split(" ");
            if (f.length != 4 || !(f[3].equals("true") || f[3].equals("false"))) {
                throw new IllegalArgumentException("not a lease probe line: '" + text + "'");
            }
            return new Line(Long.parseLong(f[0]), f[1], Long.parseLong(f[2]), Boolean.parseBoolean(f[3]));
        }
    }

    private LeaseIntervals() {}

    static List<Line> read(Path file) {
        try {
            if (!Files.exists(file)) {
                return List.of();
            }
            return Files.readAllLines(file, StandardCharsets.US_ASCII).stream()
                    .filter(l -> !l.isBlank())
                    .map(Line::parse)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The true intervals of one node.
     *
     * @param lines its file, in file order
     * @param lives its incarnations, in start order
     * @param nowNanos the analysis instant: the end of an incarnation still running
     */
    static List<Interval> of(String nodeId, List<Line> lines, List<Incarnation> lives, long nowNanos) {
        List<Interval> intervals = new ArrayList<>();
        for (int i = 0; i < lives.size(); i++) {
            Incarnation life = lives.get(i);
            long nextStart = i + 1 < lives.size() ? lives.get(i + 1).startedNanos() : Long.MAX_VALUE;
            List<Line> own = lines.stream()
                    .filter(l -> l.nanos() >= life.startedNanos() && l.nanos() < nextStart)
                    .toList();
            for (int j = 0; j < own.size(); j++) {
                Line line = own.get(j);
                if (!line.leader()) {
                    continue;
                }
                long end;
                String endedBy;
                if (j + 1 < own.size()) {
                    end = own.get(j + 1).nanos();
                    endedBy = "its next line";
                } else if (life.hasEnded()) {
                    end = Math.max(life.endedNanos(), line.nanos());
                    endedBy = life.endedBy();
                } else {
                    end = Math.max(nowNanos, line.nanos());
                    endedBy = life.endedBy();
                }
                for (Pause pause : life.pauses()) {
                    // A pause that began in this interval, and whose end the next observation (or the death) follows.
                    if (pause.stoppedNanos() < end
                            && pause.resumedNanos() > line.nanos()
                            && end >= pause.resumedNanos()) {
                        end = Math.max(line.nanos(), pause.stoppedNanos());
                        endedBy = "SIGSTOP";
                        break;
                    }
                }
                intervals.add(new Interval(nodeId, line.term(), line.nanos(), end, endedBy));
            }
        }
        return intervals;
    }

    /** Every pair of true intervals of two different nodes that share an instant. */
    static List<String> overlaps(List<Interval> all) {
        List<Interval> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparingLong(Interval::fromNanos));
        List<String> problems = new ArrayList<>();
        List<Interval> open = new ArrayList<>();
        for (Interval next : sorted) {
            open.removeIf(o -> o.toNanos() <= next.fromNanos());
            for (Interval o : open) {
                if (!o.nodeId().equals(next.nodeId()) && o.overlaps(next)) {
                    long shared = Math.min(o.toNanos(), next.toNanos()) - next.fromNanos();
                    problems.add("two lease-holders for " + shared + " ns: " + o + " and " + next);
                }
            }
            open.add(next);
        }
        return problems;
    }
}
