package io.raftboot.samples.scheduler.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.raftboot.core.loop.LeaderLease;
import io.raftboot.spring.leadership.LeadershipService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lease probe's file format and its rules of when to write a line. */
class LeaseProbeTest {

    @TempDir
    Path dir;

    @Test
    void aLineIsNanoTimeNodeTermAndLeader() {
        assertThat(LeaseProbeLog.line(123456789012L, "n2", 7, true)).isEqualTo("123456789012 n2 7 true\n");
        assertThat(LeaseProbeLog.line(-5, "n1", 0, false)).isEqualTo("-5 n1 0 false\n");
    }

    @Test
    void theFileIsAppendedToAcrossReopeningLikeARestartedNode() throws IOException {
        Path file = dir.resolve("data/n1").resolve(LeaseProbeLog.FILE_NAME);
        try (LeaseProbeLog log = new LeaseProbeLog(file)) {
            log.append(10, "n1", 1, false);
            log.append(20, "n1", 1, true);
            // Unbuffered: readable at once, before close (a kill -9 would not lose it).
            assertThat(Files.readAllLines(file)).containsExactly("10 n1 1 false", "20 n1 1 true");
        }
        try (LeaseProbeLog log = new LeaseProbeLog(file)) {
            log.append(30, "n1", 2, false);
        }
        assertThat(Files.readAllLines(file)).containsExactly("10 n1 1 false", "20 n1 1 true", "30 n1 2 false");
    }

    @Test
    void writesTheFirstObservationAndThenOnlyChanges() throws IOException {
        Path file = dir.resolve(LeaseProbeLog.FILE_NAME);
        LeadershipService leadership = mock(LeadershipService.class);
        try (LeaseProbeLog log = new LeaseProbeLog(file)) {
            LeaseProbe probe = new LeaseProbe(leadership, log, "n3", file);
            probe.observe(100, 101, 1, false);
            probe.observe(1_000_100, 1_000_101, 1, false);
            probe.observe(2_000_100, 2_000_101, 2, false); // a new term while following: no line
            probe.observe(3_000_100, 3_000_101, 2, true);
            probe.observe(4_000_100, 4_000_101, 2, true);
            probe.observe(5_000_100, 5_000_101, 3, true); // re-elected in a new term without a gap
            probe.observe(6_000_100, 6_000_101, 3, false);
        }
        // A true line carries the time before the call, a false line the time after it.
        assertThat(Files.readAllLines(file))
                .containsExactly("101 n3 1 false", "3000100 n3 2 true", "5000100 n3 3 true", "6000101 n3 3 false");
    }

    @Test
    void anUnchangedTrueAfterAPauseInSamplingIsWrittenAgain() throws IOException {
        Path file = dir.resolve(LeaseProbeLog.FILE_NAME);
        try (LeaseProbeLog log = new LeaseProbeLog(file)) {
            LeaseProbe probe = new LeaseProbe(mock(LeadershipService.class), log, "n1", file);
            probe.observe(0, 1, 4, true);
            probe.observe(1_000_000, 1_000_001, 4, true);
            // 50 ms without a sample (SIGSTOP): the lease seen after it is a new observation.
            probe.observe(51_000_000, 51_000_001, 4, true);
            probe.observe(52_000_000, 52_000_001, 4, true);
            // The same pause while not leading: nothing to tell.
            probe.observe(53_000_000, 53_000_001, 4, false);
            probe.observe(153_000_000, 153_000_001, 4, false);
        }
        assertThat(Files.readAllLines(file))
                .containsExactly("0 n1 4 true", "51000000 n1 4 true", "53000001 n1 4 false");
    }

    @Test
    void aLeadershipServiceThatThrowsAfterTheContextClosedCountsAsNotLeading() throws IOException {
        Path file = dir.resolve(LeaseProbeLog.FILE_NAME);
        // A mock, so that methods the interface gains later need no change here.
        LeadershipService leadership = mock(LeadershipService.class);
        when(leadership.term()).thenReturn(9L);
        when(leadership.lease())
                .thenReturn(Optional.of(new LeaderLease(9, System.nanoTime() + 1_000_000_000L)))
                .thenThrow(new IllegalStateException("context closed"));
        try (LeaseProbeLog log = new LeaseProbeLog(file)) {
            LeaseProbe probe = new LeaseProbe(leadership, log, "n1", file);
            probe.sample();
            probe.sample();
            probe.sample();
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).endsWith(" n1 9 true");
        assertThat(lines.get(1)).endsWith(" n1 9 false");
    }
}
