package io.raftboot.testsupport.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ports a restarted node can have back: free, distinct, and none the kernel hands out for outgoing connections. */
class FreePortsTest {

    @Test
    void portsForNodesAreDistinctBindableAndBelowTheEphemeralRange() throws IOException {
        List<Integer> ports = FreePorts.belowEphemeralRange(6);

        assertThat(ports)
                .hasSize(6)
                .doesNotHaveDuplicates()
                .allSatisfy(p -> assertThat(p)
                        .isBetween(FreePorts.LOW, Math.max(FreePorts.LOW + 1000, FreePorts.ephemeralRangeStart()) - 1));
        for (int port : ports) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(port));
                assertThat(socket.getLocalPort()).isEqualTo(port);
            }
        }
    }

    @Test
    void anyPortIsOneNobodyListensOnNow() throws IOException {
        int port = FreePorts.any();
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }
}
