package io.raftboot.samples.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftboot.samples.scheduler.it.LeaseIntervals.Interval;
import io.raftboot.samples.scheduler.it.LeaseIntervals.Line;
import io.raftboot.samples.scheduler.it.RoleIntervals.RoleLine;
import io.raftboot.testsupport.process.Incarnation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How ClusterFaultIT turns the role-probe files into each role's true intervals, and what it checks on them. */
class RoleIntervalsTest {

    @TempDir
    Path dir;

    @Test
    void parsesTheProbesFormatIntoTheRoleAndALeaseLineWithTheTokenAsItsTerm() {
        assertThat(RoleLine.parse("123 n2 billing 42 true"))
                .isEqualTo(new RoleLine("billing", new Line(123, "n2", 42, true)));
    }

    @Test
    void splitsANodesFileByRoleKeepingEachRolesOrder() throws IOException {
        Path file = dir.resolve("role-probe.log");
        Files.writeString(
                file, "1 n1 billing 0 false\n2 n1 digest 0 false\n3 n1 billing 5 true\n4 n1 billing 5 false\n");
        Map<String, List<Line>> byRole = RoleIntervals.read(file);
        assertThat(byRole.keySet()).containsExactly("billing", "digest");
        assertThat(byRole.get("billing")).extracting(Line::nanos).containsExactly(1L, 3L, 4L);
        assertThat(RoleIntervals.read(dir.resolve("missing.log"))).isEmpty();
    }

    @Test
    void twoHoldersOfOneRoleAtOneInstantAreAnOverlap() {
        List<Interval> billing =
                List.of(interval("n1", 5, 100, 200), interval("n2", 9, 150, 300)); // n2 took it while n1 still held it
        assertThat(LeaseIntervals.overlaps(billing))
                .singleElement()
                .asString()
                .startsWith("two lease-holders for 50 ns");
    }

    @Test
    void aTokenThatGoesBackOrRepeatsForANewHolderIsCaught() {
        assertThat(RoleIntervals.tokenRegressions(
                        "billing",
                        List.of(interval("n1", 5, 100, 200), interval("n2", 9, 300, 400), interval("n2", 9, 450, 500))))
                .as("a new holder with a newer grant, then the same holder again after a pause")
                .isEmpty();
        assertThat(RoleIntervals.tokenRegressions(
                        "billing", List.of(interval("n1", 9, 100, 200), interval("n2", 5, 300, 400))))
                .singleElement()
                .asString()
                .startsWith("billing: token 5 of n2 after token 9 of n1");
        assertThat(RoleIntervals.tokenRegressions(
                        "billing", List.of(interval("n1", 9, 100, 200), interval("n2", 9, 300, 400))))
                .hasSize(1);
    }

    @Test
    void countsTheChangesOfHolder() {
        assertThat(RoleIntervals.holderChanges(List.of(
                        interval("n2", 9, 300, 400),
                        interval("n1", 5, 100, 200),
                        interval("n2", 9, 450, 500),
                        interval("n3", 12, 600, 700))))
                .isEqualTo(2);
        assertThat(RoleIntervals.holderChanges(List.of())).isZero();
    }

    @Test
    void aRolesIntervalsFollowTheLeaseRulesForAKilledHolder() {
        List<Interval> intervals = LeaseIntervals.of(
                "n1",
                List.of(new Line(10, "n1", 7, true)),
                List.of(Incarnation.of(0, 200, "kill -9", List.of())),
                1_000);
        assertThat(intervals).singleElement().extracting(Interval::toNanos).isEqualTo(200L);
    }

    private static Interval interval(String node, long token, long from, long to) {
        return new Interval(node, token, from, to, "test");
    }
}
