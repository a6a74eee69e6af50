package io.raftboot.testsupport.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * N node processes {@code n1..nN} of one system on free ports (an HTTP port and a Raft port
 * each, below the ephemeral range so that a restarted node gets its ports back), each with its
 * data directory and log under one directory, and an HTTP client to drive them. A subclass says
 * how a node is started. Every process is killed on {@link #close()} and, should the JVM end
 * another way, by a shutdown hook.
 */
public abstract class ProcessCluster implements AutoCloseable {

    /** How often {@link #await} asks. */
    private static final long POLL_MILLIS = 10;

    /** Replaced, never changed in place: readers on other threads see a whole map. */
    private volatile Map<String, NodeProcess> nodes = new LinkedHashMap<>();

    private final Path dir;
    private final HttpClient http;
    private final Thread shutdownHook = new Thread(this::killAll, "process-cluster-cleanup");

    /** @param connectTimeout of the HTTP client: how long a frozen or dead node may keep a request waiting to connect */
    protected ProcessCluster(int size, Path dir, Duration connectTimeout) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.dir = dir;
        List<Integer> ports = FreePorts.belowEphemeralRange(2 * size);
        Map<String, NodeProcess> initial = new LinkedHashMap<>();
        for (int i = 1; i <= size; i++) {
            String id = "n" + i;
            initial.put(id, new NodeProcess(id, ports.get(2 * i - 2), ports.get(2 * i - 1), dir));
        }
        nodes = initial;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** The node's whole command line. */
    protected abstract List<String> command(NodeProcess node);

    /** Variables added to the node's environment; none by default. */
    protected Map<String, String> environment(NodeProcess node) {
        return Map.of();
    }

    /**
     * Registers one more node (free ports no other node of this cluster uses, its own data
     * directory) without starting it: a replica added to a running cluster.
     */
    public synchronized NodeProcess add(String id) {
        if (nodes.containsKey(id)) {
            throw new IllegalArgumentException("node " + id + " exists already");
        }
        java.util.Set<Integer> taken = new java.util.HashSet<>();
        nodes.values().forEach(n -> {
            taken.add(n.httpPort());
            taken.add(n.raftPort());
        });
        List<Integer> ports;
        do {
            ports = FreePorts.belowEphemeralRange(2);
        } while (taken.contains(ports.get(0)) || taken.contains(ports.get(1)));
        NodeProcess node = new NodeProcess(id, ports.get(0), ports.get(1), dir);
        Map<String, NodeProcess> next = new LinkedHashMap<>(nodes);
        next.put(id, node);
        nodes = next;
        return node;
    }

    public List<String> ids() {
        return List.copyOf(nodes.keySet());
    }

    public Collection<NodeProcess> nodes() {
        return nodes.values();
    }

    public NodeProcess node(String id) {
        NodeProcess node = nodes.get(id);
        if (node == null) {
            throw new IllegalArgumentException("no node " + id);
        }
        return node;
    }

    /** The nodes that are running and not frozen. */
    public List<String> serving() {
        return nodes.values().stream()
                .filter(NodeProcess::isServing)
                .map(NodeProcess::id)
                .toList();
    }

    /** Starts (or restarts) the node with the same ports and data directory. */
    public void start(String id) {
        NodeProcess node = node(id);
        node.start(command(node), environment(node));
    }

    public void startAll() {
        nodes.keySet().forEach(this::start);
    }

    // ------------------------------------------------------------------ HTTP

    public HttpClient http() {
        return http;
    }

    public URI uri(String id, String path) {
        return URI.create("http://127.0.0.1:" + node(id).httpPort() + path);
    }

    protected HttpRequest.Builder request(String id, String path, Duration timeout) {
        return HttpRequest.newBuilder(uri(id, path)).timeout(timeout);
    }

    /**
     * Asks {@code probe} every 10 ms until it answers, for at most {@code deadline}; fails with
     * the nodes' log tails.
     */
    public <T> T await(String what, Duration deadline, Supplier<Optional<T>> probe) {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() - end < 0) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
        throw new IllegalStateException(
                this + ": no " + what + " within " + deadline.toSeconds() + " s\n" + logTails(25));
    }

    /** The last lines of every node's log, for failure messages. */
    public String logTails(int lines) {
        return nodes.values().stream()
                .map(n -> "----- " + n + " " + n.logFile() + "\n" + n.logTail(lines))
                .collect(Collectors.joining("\n"));
    }

    // ------------------------------------------------------------------ cleanup

    @Override
    public void close() {
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down already: the hook runs killAll() itself.
        }
    }

    private void killAll() {
        for (NodeProcess node : nodes.values()) {
            try {
                node.kill();
            } catch (RuntimeException e) {
                System.err.println("could not kill " + node + ": " + e);
            }
        }
    }
}
