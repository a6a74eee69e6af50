package io.raftboot.samples.scheduler.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three JVMs of the sample jar on free loopback ports (HTTP and gRPC), each with its own data
 * directory, and an HTTP client to drive them. Every process is killed on {@link #close()} and,
 * should the test JVM end another way, by a shutdown hook.
 */
final class LocalCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);
    static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, NodeProcess> nodes = new LinkedHashMap<>();
    private final AppLauncher launcher;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final Thread shutdownHook = new Thread(this::killAll, "local-cluster-cleanup");
    /** The nodes' admin password (ADMIN_PASSWORD), for POST /actuator/raft; made up per run, never logged. */
    private final String adminPassword = Long.toHexString(new java.security.SecureRandom().nextLong())
            + Long.toHexString(new java.security.SecureRandom().nextLong());

    LocalCluster(int size, Path dir, AppLauncher launcher) {
        this.launcher = launcher;
        List<Integer> ports = freePorts(2 * size);
        for (int i = 1; i <= size; i++) {
            String id = "n" + i;
            nodes.put(id, new NodeProcess(id, ports.get(2 * (i - 1)), ports.get(2 * (i - 1) + 1), dir));
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    Collection<NodeProcess> nodes() {
        return nodes.values();
    }

    NodeProcess node(String id) {
        NodeProcess n = nodes.get(id);
        if (n == null) {
            throw new IllegalArgumentException("no node " + id);
        }
        return n;
    }

    List<String> ids() {
        return List.copyOf(nodes.keySet());
    }

    /** The nodes that are running and not frozen. */
    List<String> serving() {
        return nodes.values().stream().filter(NodeProcess::isServing).map(NodeProcess::id).toList();
    }

    void start(String id) {
        NodeProcess node = node(id);
        List<String> args = new ArrayList<>();
        args.add("--server.port=" + node.httpPort());
        args.add("--raft.node-id=" + id);
        for (NodeProcess peer : nodes.values()) {
            args.add("--raft.peers." + peer.id() + "=127.0.0.1:" + peer.grpcPort());
        }
        args.add("--raft.data-dir=" + node.dataDir());
        // Every change of isLeader() to <data-dir>/lease-probe.log, read back by LeaseIntervals.
        args.add("--sample.lease-probe=true");
        node.start(launcher.command(args), Map.of("ADMIN_PASSWORD", adminPassword));
        LOG.info("Started {} (HTTP {}, gRPC {}), incarnation {}", node, node.httpPort(), node.grpcPort(), node.incarnation());
    }

    void startAll() {
        nodes.keySet().forEach(this::start);
    }

    // ------------------------------------------------------------------ HTTP

    /** {@code GET /actuator/raft}, or empty if the node does not answer in time. */
    Optional<NodeStatus> status(String id, Duration timeout) {
        NodeProcess node = node(id);
        int incarnation = node.incarnation();
        return getJson(id, "/actuator/raft", timeout)
                .map(json -> NodeStatus.parse(json, incarnation, System.nanoTime()));
    }

    /** The status of each of these nodes that answered. */
    Map<String, NodeStatus> statuses(Collection<String> ids, Duration timeout) {
        Map<String, NodeStatus> result = new LinkedHashMap<>();
        for (String id : ids) {
            status(id, timeout).ifPresent(s -> result.put(id, s));
        }
        return result;
    }

    Optional<JsonNode> getJson(String id, String path, Duration timeout) {
        try {
            HttpResponse<String> response = http.send(request(id, path, timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(JSON.readTree(response.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    HttpResponse<String> put(String id, String path, String body, Duration timeout) throws IOException, InterruptedException {
        return http.send(request(id, path, timeout).header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code POST /actuator/raft} with {@code {}} as the admin: the leader steps down in favour of the most up-to-date voter. */
    HttpResponse<String> stepDown(String id, Duration timeout) throws IOException, InterruptedException {
        String basic = java.util.Base64.getEncoder().encodeToString(("admin:" + adminPassword)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return http.send(request(id, "/actuator/raft", timeout).header("Content-Type", "application/json")
                .header("Authorization", "Basic " + basic).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String id, String path, Duration timeout) throws IOException, InterruptedException {
        return http.send(request(id, path, timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String id, String path, Duration timeout) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node(id).httpPort() + path)).timeout(timeout);
    }

    // ------------------------------------------------------------------ agreement

    /**
     * The leader that all of these nodes agree on right now (one reports LEADER, the others
     * FOLLOWER of it, all in the same term), or empty.
     */
    Optional<NodeStatus> agreedLeader(Collection<String> ids) {
        Map<String, NodeStatus> statuses = statuses(ids, Duration.ofMillis(300));
        if (statuses.size() != ids.size()) {
            return Optional.empty();
        }
        List<NodeStatus> leaders = statuses.values().stream().filter(NodeStatus::isLeader).toList();
        if (leaders.size() != 1) {
            return Optional.empty();
        }
        NodeStatus leader = leaders.get(0);
        boolean agreed = statuses.values().stream().allMatch(s -> s == leader
                || s.isFollowerOf(leader.nodeId()) && s.term() == leader.term());
        return agreed ? Optional.of(leader) : Optional.empty();
    }

    String describe() {
        Map<String, NodeStatus> statuses = statuses(serving(), Duration.ofMillis(300));
        return nodes.values().stream().map(n -> n + ": " + statuses.getOrDefault(n.id(), null))
                .collect(Collectors.joining("; "));
    }

    String logTails(int lines) {
        return nodes.values().stream().map(n -> "----- " + n + " " + n.logFile() + "\n" + n.logTail(lines))
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
                LOG.warn("Could not kill {}: {}", node, e.toString());
            }
        }
    }

    /**
     * Free loopback ports below the kernel's ephemeral range, so that no outgoing connection
     * (of the nodes or of this test) takes the port of a node while that node restarts.
     */
    private static List<Integer> freePorts(int count) {
        int ephemeralStart = 32768;
        try {
            Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
            if (Files.isReadable(range)) {
                ephemeralStart = Integer.parseInt(Files.readString(range).trim().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not read the ephemeral port range: {}", e.toString());
        }
        int low = 10_000;
        int high = Math.max(low + 1000, ephemeralStart);
        java.util.Random random = new java.util.Random();
        java.util.Set<Integer> ports = new java.util.LinkedHashSet<>();
        for (int attempt = 0; ports.size() < count && attempt < 1000; attempt++) {
            int port = low + random.nextInt(high - low);
            if (!ports.contains(port) && isFree(port)) {
                ports.add(port);
            }
        }
        if (ports.size() < count) {
            throw new IllegalStateException("could not find " + count + " free loopback ports in " + low + ".." + high);
        }
        return List.copyOf(ports);
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new java.net.InetSocketAddress(port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
