package io.raftboot.benchmarks.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftboot.testsupport.process.LeaderAgreement;
import io.raftboot.testsupport.process.NodeProcess;
import io.raftboot.testsupport.process.ProcessCluster;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;

/**
 * Three (or more) node processes of one system, driven over HTTP: the adapter the scenarios see.
 * {@link OursCluster} runs the sample jar, {@link RatisCluster} the Ratis server main class; both
 * answer a status document with nodeId, role, term, leaderId and {@code PUT/GET /config/{key}}.
 */
public abstract class Cluster extends ProcessCluster {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * JVM options of every node, ours and Ratis' alike. A fixed set of JIT compiler threads, so
     * that scenario 6 can tell their CPU apart (dynamic ones come and go between two reads). More
     * can be appended for an experiment with {@code BENCH_NODE_JVM_OPTS} (space-separated, e.g.
     * {@code -XX:TieredStopAtLevel=1}); the page's settings lines show them.
     */
    public static final List<String> JVM_OPTIONS = Stream.concat(
                    Stream.of(
                            "-Xms256m",
                            "-Xmx256m",
                            "-XX:+UseG1GC",
                            "-XX:+ExitOnOutOfMemoryError",
                            "-XX:-UseDynamicNumberOfCompilerThreads"),
                    Arrays.stream(System.getenv()
                                    .getOrDefault("BENCH_NODE_JVM_OPTS", "")
                                    .split("\\s+"))
                            .filter(option -> !option.isEmpty()))
            .toList();

    private volatile ToIntFunction<NodeProcess> advertisedRaftPort = NodeProcess::raftPort;

    protected Cluster(int size, Path dir) {
        super(size, dir, Duration.ofMillis(300));
    }

    /**
     * Where the nodes reach each other's Raft port (e.g. a proxy in front of it); each node still
     * listens on its own {@link NodeProcess#raftPort()}. Call before the nodes start.
     */
    public void advertise(ToIntFunction<NodeProcess> advertisedRaftPort) {
        this.advertisedRaftPort = advertisedRaftPort;
    }

    protected int advertisedRaftPort(NodeProcess node) {
        return advertisedRaftPort.applyAsInt(node);
    }

    /** The system's name in the results. */
    public abstract String system();

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

    @Override
    public String toString() {
        return system();
    }

    // ------------------------------------------------------------------ HTTP

    public Status status(String id, Duration timeout) {
        long sent = System.nanoTime();
        try {
            HttpResponse<String> r =
                    http().send(request(id, statusPath(), timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
            long received = System.nanoTime();
            if (r.statusCode() != 200) {
                return new Status(id, null, -1, null, sent, received);
            }
            JsonNode j = JSON.readTree(r.body());
            JsonNode leader = j.get("leaderId");
            JsonNode lease = j.get("leaseValidForMillis");
            return new Status(
                    id,
                    j.get("role").asText(),
                    j.get("term").asLong(),
                    leader == null || leader.isNull() ? null : leader.asText(),
                    sent,
                    received,
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
        return http().send(
                        request(id, "/config/" + key, timeout)
                                .header("Content-Type", "text/plain")
                                .PUT(HttpRequest.BodyPublishers.ofString(value))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    /** The leader all of these nodes agree on now (one LEADER, the others its FOLLOWERs in its term). */
    public Optional<Status> agreedLeader(Collection<String> ids) {
        Map<String, Status> s = new LinkedHashMap<>();
        for (String id : ids) {
            s.put(id, status(id, Duration.ofMillis(300)));
        }
        return LeaderAgreement.among(s, ids);
    }

    public Status awaitAgreedLeader(Collection<String> ids, Duration deadline) {
        return await("a leader agreed by " + ids, deadline, () -> agreedLeader(ids));
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
