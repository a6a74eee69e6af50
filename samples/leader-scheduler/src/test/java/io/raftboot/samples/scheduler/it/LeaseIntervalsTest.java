package io.raftboot.samples.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftboot.samples.scheduler.it.LeaseIntervals.Interval;
import io.raftboot.samples.scheduler.it.LeaseIntervals.Line;
import io.raftboot.testsupport.process.Incarnation;
import io.raftboot.testsupport.process.Pause;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How ClusterFaultIT turns the nodes' lease-probe files into true intervals, and finds overlaps. */
class LeaseIntervalsTest {

    private static final long NOW = 1_000_000;

    @Test
    void aTrueIntervalRunsToTheNextLine() {
        List<Interval> intervals = LeaseIntervals.of(
                "n1", lines("n1", "10 false", "20 true", "50 false", "60 true", "70 false"), List.of(alive(0)), NOW);
        assertThat(intervals)
                .extracting(Interval::fromNanos, Interval::toNanos)
                .containsExactly(tuple(20, 50), tuple(60, 70));
    }

    @Test
    void theLastTrueIntervalOfAKilledProcessEndsAtTheKill() {
        List<Interval> intervals = LeaseIntervals.of(
                "n1",
                lines("n1", "10 true", "500 true"),
                List.of(Incarnation.of(0, 200, "kill -9", List.of()), alive(300)),
                NOW);
        assertThat(intervals)
                .extracting(Interval::fromNanos, Interval::toNanos)
                .containsExactly(tuple(10, 200), tuple(500, NOW));
    }

    @Test
    void aStoppedProcessHoldsNothingWhileStoppedAndTheStaleLineBeforeItsFirstSampleIsNoLease() {
        // Stopped at 100, resumed at 900, its first sample after resuming (901) says false.
        List<Interval> resumedFollower = LeaseIntervals.of(
                "n1",
                lines("n1", "10 true", "901 false"),
                List.of(Incarnation.of(0, Long.MAX_VALUE, "", List.of(new Pause(100, 900)))),
                NOW);
        assertThat(resumedFollower)
                .extracting(Interval::fromNanos, Interval::toNanos)
                .containsExactly(tuple(10, 100));

        // The same, but it still held the lease when it resumed: the probe wrote that sample again.
        List<Interval> resumedLeader = LeaseIntervals.of(
                "n1",
                lines("n1", "10 true", "901 true", "950 false"),
                List.of(Incarnation.of(0, Long.MAX_VALUE, "", List.of(new Pause(100, 900)))),
                NOW);
        assertThat(resumedLeader)
                .extracting(Interval::fromNanos, Interval::toNanos)
                .containsExactly(tuple(10, 100), tuple(901, 950));

        // Killed while stopped.
        List<Interval> killed = LeaseIntervals.of(
                "n1",
                lines("n1", "10 true"),
                List.of(Incarnation.of(0, 700, "kill -9", List.of(new Pause(100, 700)))),
                NOW);
        assertThat(killed).extracting(Interval::fromNanos, Interval::toNanos).containsExactly(tuple(10, 100));
    }

    @Test
    void twoNodesHoldingTheLeaseAtOneInstantIsAnOverlapAndTouchingIntervalsAreNot() {
        List<Interval> all = new ArrayList<>();
        all.addAll(LeaseIntervals.of("n1", lines("n1", "10 true", "100 false"), List.of(alive(0)), NOW));
        all.addAll(LeaseIntervals.of("n2", lines("n2", "100 true", "200 false"), List.of(alive(0)), NOW));
        assertThat(LeaseIntervals.overlaps(all)).isEmpty();

        all.addAll(LeaseIntervals.of("n3", lines("n3", "150 true", "160 false"), List.of(alive(0)), NOW));
        assertThat(LeaseIntervals.overlaps(all))
                .singleElement()
                .asString()
                .contains("n2 term")
                .contains("n3 term");
    }

    @Test
    void aTransferWhoseOldLeaderStillSawItsLeaseAfterTheNewOneIsCaught() {
        // The old leader's false comes 5 us after the new leader's true: what issue 11's first bug looks like.
        List<Interval> all = new ArrayList<>();
        all.addAll(LeaseIntervals.of("n1", lines("n1", "1000 true", "20005 false"), List.of(alive(0)), NOW));
        all.addAll(LeaseIntervals.of("n2", lines("n2", "500 false", "20000 true"), List.of(alive(0)), NOW));
        assertThat(LeaseIntervals.overlaps(all)).singleElement().asString().startsWith("two lease-holders for 5 ns");
    }

    @Test
    void parsesTheProbesFormat() {
        assertThat(Line.parse("123 n2 7 true")).isEqualTo(new Line(123, "n2", 7, true));
        assertThat(Line.parse("-9 n1 0 false\n")).isEqualTo(new Line(-9, "n1", 0, false));
    }

    private static Incarnation alive(long started) {
        return Incarnation.of(started, Long.MAX_VALUE, "still running", List.of());
    }

    private static List<Line> lines(String node, String... nanosAndLeader) {
        List<Line> lines = new ArrayList<>();
        for (String s : nanosAndLeader) {
            String[] f = s.split(" ");
            lines.add(new Line(Long.parseLong(f[0]), node, 1, Boolean.parseBoolean(f[1])));
        }
        return lines;
    }

    private static org.assertj.core.groups.Tuple tuple(long from, long to) {
        return org.assertj.core.groups.Tuple.tuple(from, to);
    }
}
