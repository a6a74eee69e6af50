package io.raftboot.spring.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftboot.spring.cluster.ClusterSettings;
import io.raftboot.spring.cluster.PeerAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoundTripEnvelopeTest {

    @Test
    void theDefaultsGiveA250msLeaseRegainedBelow150msAndLapsingAbove200ms() {
        RoundTripEnvelope envelope = RoundTripEnvelope.of(settings(Duration.ofMillis(10), 30, 5));

        assertThat(envelope.leaseNanos()).isEqualTo(Duration.ofMillis(250).toNanos());
        assertThat(envelope.warnAboveNanos()).isEqualTo(Duration.ofMillis(150).toNanos());
        assertThat(envelope.lapseAboveNanos()).isEqualTo(Duration.ofMillis(200).toNanos());
        assertThat(envelope.clearBelowNanos()).isEqualTo(Duration.ofMillis(120).toNanos());
        assertThat(envelope.describe()).contains("250 ms", "150 ms", "200 ms", "300-600 ms");
    }

    @Test
    void aLongerElectionTimeoutWidensTheEnvelopeAsTheOperationsGuideSays() {
        // T = 1 s, H = 100 ms (tick 20 ms): lease 860 ms, regained below 660 ms, lapses above 760 ms.
        RoundTripEnvelope envelope = RoundTripEnvelope.of(settings(Duration.ofMillis(20), 50, 5));

        assertThat(envelope.leaseNanos()).isEqualTo(Duration.ofMillis(860).toNanos());
        assertThat(envelope.warnAboveNanos()).isEqualTo(Duration.ofMillis(660).toNanos());
        assertThat(envelope.lapseAboveNanos()).isEqualTo(Duration.ofMillis(760).toNanos());
    }

    static ClusterSettings settings(Duration tick, int electionTicks, int heartbeatTicks) {
        return new ClusterSettings(
                "n1",
                "test",
                Map.of("n1", new PeerAddress("127.0.0.1", 1), "n2", new PeerAddress("127.0.0.1", 2)),
                Set.of("n1", "n2"),
                Set.of(),
                Path.of("unused"),
                tick,
                electionTicks,
                heartbeatTicks,
                0.1,
                Duration.ofMillis(1200),
                Duration.ofSeconds(3),
                1 << 20,
                1 << 16);
    }
}
