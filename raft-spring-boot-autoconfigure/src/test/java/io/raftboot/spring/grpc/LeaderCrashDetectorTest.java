package io.raftboot.spring.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftboot.spring.cluster.ClusterSettings;
import io.raftboot.spring.cluster.PeerAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The probe of crash-fast detection, against real loopback sockets: only a refusal is reported. */
class LeaderCrashDetectorTest {

    private final List<String> reported = new CopyOnWriteArrayList<>();
    private LeaderCrashDetector detector;

    @AfterEach
    void close() {
        if (detector != null) {
            detector.close();
        }
    }

    private LeaderCrashDetector detectorWithPeer(String host, int port) {
        Map<String, PeerAddress> members =
                Map.of("n1", new PeerAddress("127.0.0.1", 1), "n2", new PeerAddress(host, port));
        ClusterSettings settings = new ClusterSettings(
                "n1",
                "test",
                members,
                Set.of("n1", "n2"),
                Set.of(),
                Path.of("unused"),
                Duration.ofMillis(10),
                30,
                5,
                0.1,
                Duration.ofMillis(300),
                Duration.ofSeconds(3),
                1 << 20,
                1 << 16);
        detector = new LeaderCrashDetector(settings, reported::add, Duration.ofMillis(300));
        return detector;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aPeerWhosePortRefusesConnectionsIsReportedGone() throws IOException {
        detectorWithPeer("127.0.0.1", closedPort()).probe("n2");

        assertThat(reported).containsExactly("n2");
    }

    @Test
    void aPeerThatStillAcceptsConnectionsIsNotReported() throws IOException {
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            detectorWithPeer("127.0.0.1", listening.getLocalPort()).probe("n2");
        }

        assertThat(reported).isEmpty();
    }

    @Test
    void anUnresolvableHostProvesNothing() {
        detectorWithPeer("no-such-host.invalid", 9090).probe("n2");

        assertThat(reported).isEmpty();
    }

    @Test
    void anUnknownPeerIsNotProbed() throws IOException {
        detectorWithPeer("127.0.0.1", closedPort()).probe("n9");

        assertThat(reported).isEmpty();
    }
}
