package io.raftboot.spring.autoconfigure;

import io.raftboot.spring.cluster.RaftConfigurationException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A loopback port free at the time of asking, for a single node's gRPC server (raft.single-node). */
final class LoopbackPort {

    private LoopbackPort() {}

    /**
     * Another process may take it before the server binds it, a window of milliseconds; the
     * server's start then fails naming the port, and a restart picks another.
     */
    static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new RaftConfigurationException(
                    "raft.single-node", true, "no free loopback port (" + e + ")", "Check that 127.0.0.1 is up");
        }
    }
}
