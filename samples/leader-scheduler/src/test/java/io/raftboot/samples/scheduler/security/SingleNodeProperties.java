package io.raftboot.samples.scheduler.security;

import io.raftboot.testsupport.process.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arguments that run the sample as a cluster of one (it elects itself at once) on loopback,
 * with a fresh data directory under target/, so that a security test needs no other process.
 */
public final class SingleNodeProperties {

    private SingleNodeProperties() {}

    /** New ones on every call (another port, another directory). */
    public static Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("server.port", "0");
        p.put("server.address", "127.0.0.1");
        p.put("raft.server.address", "127.0.0.1");
        p.put("raft.node-id", "n1");
        // The own gRPC server listens on the port of this node's own entry.
        p.put("raft.peers.n1", "127.0.0.1:" + FreePorts.any());
        p.put("raft.data-dir", freshDataDir().toString());
        return p;
    }

    /** The same as command-line arguments, which take precedence over the environment. */
    public static List<String> args() {
        return properties().entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toList();
    }

    private static Path freshDataDir() {
        try {
            Path parent = Files.createDirectories(Path.of("target", "security-test-nodes"));
            return Files.createTempDirectory(parent, "n1-").toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
