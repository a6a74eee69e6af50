package io.raftboot.samples.scheduler.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.raftboot.core.loop.RoleLease;
import io.raftboot.core.node.RoleGrant;
import io.raftboot.spring.leadership.LeadershipService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The role probe's file format and its rules of when to write a line, per role. */
class RoleProbeTest {

    @TempDir
    Path dir;

    @Test
    void aLineIsNanoTimeNodeRoleTokenAndHeld() {
        assertThat(RoleProbeLog.line(123456789012L, "n2", "billing", 42, true))
                .isEqualTo("123456789012 n2 billing 42 true\n");
        assertThat(RoleProbeLog.line(-5, "n1", "digest", 0, false)).isEqualTo("-5 n1 digest 0 false\n");
    }

    @Test
    void writesTheFirstObservationOfEveryRoleAndThenOnlyItsChanges() throws IOException {
        Path file = dir.resolve(RoleProbeLog.FILE_NAME);
        LeadershipService leadership = mock(LeadershipService.class);
        when(leadership.roleAssignments()).thenReturn(Map.of("billing", new RoleGrant("n2", 7)));
        try (RoleProbeLog log = new RoleProbeLog(file)) {
            RoleProbe probe = new RoleProbe(leadership, log, "n3", List.of("billing", "digest"), file);
            probe.observe("billing", 100, 101, 0, false);
            probe.observe("digest", 102, 103, 0, false);
            probe.observe("billing", 1_000_100, 1_000_101, 0, false);
            probe.observe("digest", 1_000_102, 1_000_103, 9, true);
            probe.observe("digest", 2_000_102, 2_000_103, 9, true);
            probe.observe("digest", 3_000_102, 3_000_103, 12, true); // granted again, without a gap
            probe.observe("digest", 4_000_102, 4_000_103, 0, false);
        }
        // False lines name the grant this node knows (billing: n2's, token 7; digest: none).
        assertThat(Files.readAllLines(file))
                .containsExactly(
                        "101 n3 billing 7 false",
                        "103 n3 digest 0 false",
                        "1000102 n3 digest 9 true",
                        "3000102 n3 digest 12 true",
                        "4000103 n3 digest 0 false");
    }

    @Test
    void anUnchangedHoldAfterAPauseInSamplingIsWrittenAgain() throws IOException {
        Path file = dir.resolve(RoleProbeLog.FILE_NAME);
        try (RoleProbeLog log = new RoleProbeLog(file)) {
            RoleProbe probe = new RoleProbe(mock(LeadershipService.class), log, "n1", List.of("reports"), file);
            probe.observe("reports", 0, 1, 4, true);
            probe.observe("reports", 1_000_000, 1_000_001, 4, true);
            // 50 ms without a sample (SIGSTOP): the hold seen after it is a new observation.
            probe.observe("reports", 51_000_000, 51_000_001, 4, true);
            probe.observe("reports", 52_000_000, 52_000_001, 4, true);
        }
        assertThat(Files.readAllLines(file)).containsExactly("0 n1 reports 4 true", "51000000 n1 reports 4 true");
    }

    @Test
    void samplesTheAtomicRoleLeaseReadAndCountsAClosedContextAsNotHeld() throws IOException {
        Path file = dir.resolve(RoleProbeLog.FILE_NAME);
        LeadershipService leadership = mock(LeadershipService.class);
        when(leadership.roleLease("billing")).thenReturn(Optional.of(new RoleLease("billing", 5, Long.MAX_VALUE)));
        when(leadership.roleLease("cleanup")).thenReturn(Optional.empty());
        when(leadership.roleAssignments()).thenReturn(Map.of());
        try (RoleProbeLog log = new RoleProbeLog(file)) {
            RoleProbe probe = new RoleProbe(leadership, log, "n1", List.of("billing", "cleanup"), file);
            probe.sample();
            when(leadership.roleLease("billing")).thenThrow(new IllegalStateException("context closed"));
            probe.sample();
        }
        assertThat(Files.readAllLines(file))
                .extracting(l -> l.substring(l.indexOf(' ') + 1))
                .containsExactly("n1 billing 5 true", "n1 cleanup 0 false", "n1 billing 0 false");
    }
}
