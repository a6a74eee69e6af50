package io.raftboot.samples.scheduler.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftboot.testsupport.process.BootJarLaunch;
import io.raftboot.testsupport.process.LeaderAgreement;
import io.raftboot.testsupport.process.NodeProcess;
import io.raftboot.testsupport.process.ProcessCluster;
import io.raftboot.testsupport.process.StarterArguments;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
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
 * directory, and the HTTP calls the fault test makes: status, config reads and writes, step-down.
 */
class LocalCluster extends ProcessCluster {

    private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);
    static final ObjectMapper JSON = new ObjectMapper();
    /** A small heap and the C1 compiler only: the nodes start quickly and three fit beside the build. */
    static final List<String> JVM_OPTIONS = List.of(
            "-Xms64m",
            "-Xmx192m",
            "-Xss512k",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-XX:+ExitOnOutOfMemoryError");

    private final BootJarLaunch launch;
    /** The nodes' admin password (ADMIN_PASSWORD), for POST /actuator/raft; made up per run, never logged. */
    private final String adminPassword =
            Long.toHexString(new SecureRandom().nextLong()) + Long.toHexString(new SecureRandom().nextLong());

    /** Nodes added to the running cluster: they start as learners of the members they know. */
    private final java.util.Set<String> joiners = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Node id to the port peers reach it on when that is not its own gRPC port (a proxy in front of it). */
    private final Map<String, Integer> advertisedRaftPorts = new java.util.concurrent.ConcurrentHashMap<>();

    LocalCluster(int size, Path dir, BootJarLaunch launch) {
        super(size, dir, Duration.ofMillis(500));
        this.launch = launch;
    }

    /**
     * @param cdsDir where the extracted jar and its class data sharing archive are kept while the jar is unchanged;
     *               none with {@code -Draft.it.noCds=true}
     */
    static LocalCluster of(int size, Path dir, Path jar, Path cdsDir) {
        return new LocalCluster(size, dir, launch(jar, cdsDir));
    }

    /** How the nodes run the sample jar: with a class data sharing archive, unless -Draft.it.noCds=true. */
    static BootJarLaunch launch(Path jar, Path cdsDir) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the sample jar " + jar + " does not exist: build it with"
                    + " ./mvnw -pl samples/leader-scheduler -am package -DskipTests");
        }
        String java = BootJarLaunch.currentJava();
        BootJarLaunch launch;
        if (Boolean.getBoolean("raft.it.noCds")) {
            launch = BootJarLaunch.plain(java, jar, JVM_OPTIONS);
        } else {
            launch = BootJarLaunch.withClassDataSharing(java, jar, JVM_OPTIONS, cdsDir, Duration.ofSeconds(180));
            launch.fallbackReason()
                    .ifPresent(why -> LOG.warn(
                            "Could not prepare the class data sharing archive ({}); the nodes run {} as is", why, jar));
            if (!launch.preparation().isZero()) {
                LOG.info(
                        "Prepared the class data sharing archive for the nodes in {} ms",
                        launch.preparation().toMillis());
            }
        }
        return launch;
    }

    @Override
    protected List<String> command(NodeProcess node) {
        List<String> args = new ArrayList<>(
                StarterArguments.of(node, nodes(), n -> advertisedRaftPorts.getOrDefault(n.id(), n.raftPort())));
        // Every change of isLeader() to <data-dir>/lease-probe.log, read back by LeaseIntervals.
        args.add("--sample.lease-probe=true");
        // More application arguments for every node, e.g. -Draft.it.nodeArgs=--raft.max-config-keys=20000
        String extra = System.getProperty("raft.it.nodeArgs", "").trim();
        if (!extra.isEmpty()) {
            args.addAll(List.of(extra.split("\\s+")));
        }
        if (joiners.contains(node.id())) {
            args.add("--raft.learners=" + node.id());
        }
        return launchCommand(args);
    }

    /** The JVM command that runs the sample jar with these application arguments. */
    protected final List<String> launchCommand(List<String> args) {
        return launch.command(args);
    }

    /**
     * Peers (and the node itself, in its raft.peers) reach node {@code id} on {@code port}, e.g. a
     * proxy that forwards to its gRPC port; applies to nodes started from now on.
     */
    void advertise(String id, int port) {
        advertisedRaftPorts.put(id, port);
    }

    @Override
    protected Map<String, String> environment(NodeProcess node) {
        return Map.of("ADMIN_PASSWORD", adminPassword);
    }

    @Override
    public void start(String id) {
        super.start(id);
        NodeProcess node = node(id);
        LOG.info(
                "Started {} (HTTP {}, gRPC {}), incarnation {}",
                node,
                node.httpPort(),
                node.raftPort(),
                node.incarnation());
    }

    /**
     * Registers and starts a new replica with an empty data directory: its settings list every
     * node of this cluster and itself, as a learner, and it waits until the leader adds it.
     */
    NodeProcess join(String id) {
        NodeProcess node = add(id);
        joiners.add(id);
        start(id);
        return node;
    }

    // ------------------------------------------------------------------ HTTP

    /** {@code GET /actuator/raft}, or empty if the node does not answer in time. */
    Optional<NodeStatus> status(String id, Duration timeout) {
        int incarnation = node(id).incarnation();
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
            HttpResponse<String> response =
                    http().send(request(id, path, timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(JSON.readTree(response.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    HttpResponse<String> put(String id, String path, String body, Duration timeout)
            throws IOException, InterruptedException {
        return http().send(
                        request(id, path, timeout)
                                .header("Content-Type", "text/plain")
                                .PUT(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    /** {@code POST /actuator/raft} with {@code {}} as the admin: the leader steps down in favour of the most up-to-date voter. */
    HttpResponse<String> stepDown(String id, Duration timeout) throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString(("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8));
        return http().send(
                        request(id, "/actuator/raft", timeout)
                                .header("Content-Type", "application/json")
                                .header("Authorization", "Basic " + basic)
                                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    /** {@code POST /actuator/raft/{operation}} as the admin, with a JSON body: a membership change. */
    HttpResponse<String> membership(String id, String operation, String json, Duration timeout)
            throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString(("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8));
        return http().send(
                        request(id, "/actuator/raft/" + operation, timeout)
                                .header("Content-Type", "application/json")
                                .header("Authorization", "Basic " + basic)
                                .POST(HttpRequest.BodyPublishers.ofString(json))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    /** Each member's role ({@code voter}, {@code learner}, {@code joining}) as node {@code id} reports it. */
    Map<String, String> roles(String id) {
        Map<String, String> roles = new java.util.TreeMap<>();
        getJson(id, "/actuator/raft", Duration.ofSeconds(2))
                .orElseThrow(() -> new IllegalStateException(id + " does not answer"))
                .get("members")
                .forEach(m -> roles.put(m.get("id").asText(), m.get("role").asText()));
        return roles;
    }

    /** The acknowledged keys that node {@code id} lacks or holds with another value (all, if it does not answer). */
    List<String> missingOrWrong(String id, Map<String, String> acknowledged) {
        Optional<JsonNode> all = getJson(id, "/config?prefix=" + ConfigWriter.PREFIX, Duration.ofSeconds(5));
        if (all.isEmpty()) {
            return List.copyOf(acknowledged.keySet());
        }
        Map<String, String> held = new java.util.HashMap<>();
        all.get()
                .get("entries")
                .properties()
                .forEach(e -> held.put(e.getKey(), e.getValue().get("value").asText()));
        return acknowledged.entrySet().stream()
                .filter(e -> !e.getValue().equals(held.get(e.getKey())))
                .map(Map.Entry::getKey)
                .toList();
    }

    HttpResponse<String> get(String id, String path, Duration timeout) throws IOException, InterruptedException {
        return http().send(request(id, path, timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    // ------------------------------------------------------------------ agreement

    /**
     * The leader that all of these nodes agree on right now (one reports LEADER, the others
     * FOLLOWER of it, all in the same term), or empty.
     */
    Optional<NodeStatus> agreedLeader(Collection<String> ids) {
        return LeaderAgreement.among(statuses(ids, Duration.ofMillis(300)), ids);
    }

    /** Waits, with a deadline, for a leader that the serving nodes among {@code ids} agree on; its id. */
    String awaitLeader(Collection<String> ids, Duration deadline) {
        List<String> up = ids.stream().filter(serving()::contains).toList();
        return org.awaitility.Awaitility.await("a leader agreed by " + up)
                .atMost(deadline)
                .until(() -> agreedLeader(up), Optional::isPresent)
                .orElseThrow()
                .nodeId();
    }

    String describe() {
        Map<String, NodeStatus> statuses = statuses(serving(), Duration.ofMillis(300));
        return nodes().stream()
                .map(n -> n + ": " + statuses.getOrDefault(n.id(), null))
                .collect(Collectors.joining("; "));
    }
}
