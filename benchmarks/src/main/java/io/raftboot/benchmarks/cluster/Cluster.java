package io.raftboot.benchmarks.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Three (or more) node processes of one system on free loopback ports, driven over HTTP: the
 * adapter the scenarios see. {@link OursCluster} runs the sample jar, {@link RatisCluster} the
 * Ratis server main class; both answer a status document with nodeId, role, term, leaderId and
 * {@code PUT/GET /config/{key}}.
 */
public abstract class Cluster implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();
    /**
     * JVM options of every node, ours and Ratis' alike. A fixed set of JIT compiler threads, so
     * that scenario 6 can tell their CPU apart (dynamic ones come and go between two reads).
     */
    public static final List<String> JVM_OPTIONS = List.of("-Xms256m", "-Xmx256m", "-XX:+UseG1GC",
            "-XX:+ExitOnOutOfMemoryError", "-XX:-UseDynamicNumberOfCompilerThreads");

    protected final Map<String, NodeProcess> nodes = new LinkedHashMap<>();
    protected final Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(300))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final Thread hook = new Thread(this::killAll, "bench-cluster-cleanup");

    protected Cluster(int size, Path dir) {
        this.dir = dir;
        List<Integer> ports = freePorts(2 * size);
        for (int i = 1; i <= size; i++) {
            String id = "n" + i;
            nodes.put(id, new NodeProcess(id, ports.get(2 * i - 2), ports.get(2 * i - 1), dir));
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The system's name in the results. */
    public abstract String system();

    /** The node's whole command line. */
    protected abstract List<String> command(NodeProcess node);

    /** Path of the status document. */
    protected abstract String statusPath();

    /** The settings, for the report. */
    public abstract String settings();

    /** Whether a SIGTERM makes a leader hand over first (ours: yes; Ratis has no such hook by default). */
    public abstract boolean handsOverOnShutdown();

    /** Whether the nodes log when a leader's lease starts to hold (ours: isLeader()); Ratis has no lease. */
    public boolean reportsLease() {
        return false;
    }

    public List<String> ids() {
        return List.copyOf(nodes.keySet());
    }

    public NodeProcess node(String id) {
        return nodes.get(id);
    }

    public Collection<NodeProcess> nodes() {
        return nodes.values();
    }

    public void start(String id) {
        NodeProcess n = nodes.get(id);
        n.start(command(n));
    }

    public void startAll() {
        nodes.keySet().forEach(this::start);
    }

    // ------------------------------------------------------------------ HTTP

    public Status status(String id, Duration timeout) {
        long sent = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(request(id, statusPath(), timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            long received = System.nanoTime();
            if (r.statusCode() != 200) {
                return new Status(id, null, -1, null, sent, received);
            }
            JsonNode j = JSON.readTree(r.body());
            JsonNode leader = j.get("leaderId");
            JsonNode lease = j.get("leaseValidForMillis");
            return new Status(id, j.get("role").asText(), j.get("term").asLong(),
                    leader == null || leader.isNull() ? null : leader.asText(), sent, received,
                    lease == null || lease.isNull() ? -1 : lease.asLong());
        } catch (IOException e) {
            return new Status(id, null, -1, null, sent, System.nanoTime());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Status(id, null, -1, null, sent, System.nanoTime());
        }
    }

    public HttpResponse<String> put(String id, String key, String value, Duration timeout)
            throws IOException, InterruptedException {
        return http.send(request(id, "/config/" + key, timeout).header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString(value)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpClient http() {
        return http;
    }

    public URI uri(String id, String path) {
        return URI.create("http://127.0.0.1:" + nodes.get(id).httpPort() + path);
    }

    private HttpRequest.Builder request(String id, String path, Duration timeout) {
        return HttpRequest.newBuilder(uri(id, path)).timeout(timeout);
    }

    /** The leader all of these nodes agree on now (one LEADER, the others its FOLLOWERs in its term). */
    public Optional<Status> agreedLeader(Collection<String> ids) {
        Map<String, Status> s = new LinkedHashMap<>();
        for (String id : ids) {
            s.put(id, status(id, Duration.ofMillis(300)));
        }
        return agreement(s, ids, -1);
    }

    /** The agreed leader of a term above {@code aboveTerm} in these latest statuses, if any. */
    public static Optional<Status> agreement(Map<String, Status> latest, Collection<String> ids, long aboveTerm) {
        Status leader = null;
        for (String id : ids) {
            Status s = latest.get(id);
            if (s == null || !s.ok()) {
                return Optional.empty();
            }
            if (s.isLeader()) {
                if (leader != null) {
                    return Optional.empty();
                }
                leader = s;
            }
        }
        if (leader == null || leader.term() <= aboveTerm) {
            return Optional.empty();
        }
        for (String id : ids) {
            Status s = latest.get(id);
            if (s != leader && !s.isFollowerOf(leader.nodeId(), leader.term())) {
                return Optional.empty();
            }
        }
        return Optional.of(leader);
    }

    public Status awaitAgreedLeader(Collection<String> ids, Duration deadline) {
        return await("a leader agreed by " + ids, deadline, () -> agreedLeader(ids));
    }

    public <T> T await(String what, Duration deadline, Supplier<Optional<T>> probe) {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() - end < 0) {
            Optional<T> v = probe.get();
            if (v.isPresent()) {
                return v.get();
            }
            sleep(10);
        }
        throw new IllegalStateException(system() + ": no " + what + " within " + deadline.toSeconds() + " s\n"
                + logTails(25));
    }

    public String logTails(int lines) {
        StringBuilder b = new StringBuilder();
        for (NodeProcess n : nodes.values()) {
            b.append("----- ").append(n).append(' ').append(n.logFile()).append('\n').append(n.logTail(lines)).append('\n');
        }
        return b.toString();
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ cleanup

    @Override
    public void close() {
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down: the hook runs
        }
    }

    private void killAll() {
        for (NodeProcess n : nodes.values()) {
            try {
                n.kill();
            } catch (RuntimeException e) {
                System.err.println("could not kill " + n + ": " + e);
            }
        }
    }

    /** Free loopback ports below the ephemeral range, so no outgoing connection takes one meanwhile. */
    static List<Integer> freePorts(int count) {
        int ephemeralStart = 32768;
        try {
            Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
            if (Files.isReadable(range)) {
                ephemeralStart = Integer.parseInt(Files.readString(range).trim().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException e) {
            // keep the default
        }
        int low = 20_000;
        int high = Math.max(low + 1000, ephemeralStart);
        Random random = new Random();
        Set<Integer> ports = new LinkedHashSet<>();
        for (int attempt = 0; ports.size() < count && attempt < 1000; attempt++) {
            int port = low + random.nextInt(high - low);
            if (!ports.contains(port) && isFree(port)) {
                ports.add(port);
            }
        }
        if (ports.size() < count) {
            throw new IllegalStateException("could not find " + count + " free loopback ports");
        }
        return new ArrayList<>(ports);
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress("127.0.0.1", port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
