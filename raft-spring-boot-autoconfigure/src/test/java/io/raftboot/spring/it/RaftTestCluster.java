package io.raftboot.spring.it;

import static org.awaitility.Awaitility.await;

import io.raftboot.spring.leadership.LeadershipService;
import io.raftboot.testsupport.process.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * N Spring Boot applications in this JVM, each a Raft node with its own gRPC server on a free
 * loopback port, talking real gRPC. Nodes are named n1..nN.
 */
final class RaftTestCluster implements AutoCloseable {

    private final Class<?>[] sources;
    private final Path dataRoot;
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    /** Nodes started later that joined the running cluster (not in the others' raft.peers). */
    private final Map<String, Integer> joined = new LinkedHashMap<>();

    private final Map<String, ConfigurableApplicationContext> nodes = new LinkedHashMap<>();
    private final Map<String, String> extra = new HashMap<>();
    private WebApplicationType web = WebApplicationType.NONE;

    RaftTestCluster(int size, Path dataRoot, Class<?>... sources) {
        this.sources = sources;
        this.dataRoot = dataRoot;
        for (int i = 1; i <= size; i++) {
            ports.put("n" + i, FreePorts.any());
        }
    }

    RaftTestCluster web() {
        this.web = WebApplicationType.SERVLET;
        return this;
    }

    /** A property set on every node started from now on. */
    RaftTestCluster with(String key, String value) {
        extra.put(key, value);
        return this;
    }

    /**
     * Starts every node, one after the other: Spring Boot (re)initializes Logback's one
     * LoggerContext per JVM on every start, and that is not thread-safe (parallel starts failed
     * with ConcurrentModificationException / ArrayIndexOutOfBounds in LoggerContext.reset).
     */
    RaftTestCluster startAll() {
        ports.keySet().forEach(this::start);
        return this;
    }

    /** Starts (or restarts) node {@code id} with the cluster's properties plus {@code overrides} ("k=v"). */
    ConfigurableApplicationContext start(String id, String... overrides) {
        if (joined.containsKey(id)) {
            List<String> asJoiner = new ArrayList<>(
                    List.of("raft.peers." + id + "=127.0.0.1:" + joined.get(id), "raft.learners=" + id));
            asJoiner.addAll(List.of(overrides));
            return launch(id, asJoiner.toArray(String[]::new));
        }
        return launch(id, overrides);
    }

    /**
     * Starts a new node that joins the running cluster, as a new replica would: its raft.peers
     * are the cluster's and itself, as a learner, until the log it receives says otherwise. The
     * leader must add it (MembershipService) for it to be reached.
     */
    ConfigurableApplicationContext join(String id, String... overrides) {
        joined.put(id, FreePorts.any());
        return start(id, overrides);
    }

    private ConfigurableApplicationContext launch(String id, String... overrides) {
        List<String> props = new ArrayList<>();
        props.add("raft.node-id=" + id);
        props.add("raft.cluster-id=it");
        ports.forEach((peer, port) -> props.add("raft.peers." + peer + "=127.0.0.1:" + port));
        props.add("raft.data-dir=" + dataRoot.resolve(id));
        props.add("grpc.server.address=127.0.0.1");
        props.add("server.port=0");
        props.add("server.address=127.0.0.1");
        props.add("spring.main.banner-mode=off");
        props.add("spring.application.name=" + id);
        props.add("management.endpoints.web.exposure.include=raft,health,metrics");
        props.add("management.endpoint.health.show-details=always");
        props.add("management.endpoint.raft.access=unrestricted");
        extra.forEach((k, v) -> props.add(k + "=" + v));
        props.addAll(List.of(overrides));
        ConfigurableApplicationContext ctx = new SpringApplicationBuilder(sources)
                .web(web)
                .properties(props.toArray(String[]::new))
                .run();
        synchronized (nodes) {
            nodes.put(id, ctx);
        }
        return ctx;
    }

    ConfigurableApplicationContext node(String id) {
        synchronized (nodes) {
            ConfigurableApplicationContext ctx = nodes.get(id);
            if (ctx == null) {
                throw new IllegalStateException("node " + id + " was never started (started: " + nodes.keySet() + ")");
            }
            return ctx;
        }
    }

    <T> T bean(String id, Class<T> type) {
        return node(id).getBean(type);
    }

    LeadershipService leadership(String id) {
        return bean(id, LeadershipService.class);
    }

    List<String> running() {
        synchronized (nodes) {
            return nodes.entrySet().stream()
                    .filter(e -> e.getValue().isActive())
                    .map(Map.Entry::getKey)
                    .toList();
        }
    }

    int grpcPort(String id) {
        return ports.containsKey(id) ? ports.get(id) : joined.get(id);
    }

    /** Waits until exactly one running node holds the lease and every running node names it leader. */
    String awaitAgreedLeader(Duration timeout) {
        return await().atMost(timeout)
                .until(this::agreedLeader, Optional::isPresent)
                .orElseThrow();
    }

    Optional<String> agreedLeader() {
        List<String> up = running();
        List<String> leaders =
                up.stream().filter(id -> leadership(id).isLeader()).toList();
        if (leaders.size() != 1) {
            return Optional.empty();
        }
        String leader = leaders.get(0);
        boolean agreed = up.stream()
                .allMatch(id -> leadership(id).leaderId().filter(leader::equals).isPresent());
        return agreed ? Optional.of(leader) : Optional.empty();
    }

    String aFollower(String leader) {
        return running().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    }

    void close(String id) {
        ConfigurableApplicationContext ctx = nodes.get(id);
        if (ctx != null && ctx.isActive()) {
            ctx.close();
        }
    }

    @Override
    public void close() {
        new ArrayList<>(nodes.values())
                .parallelStream()
                        .filter(ConfigurableApplicationContext::isActive)
                        .forEach(ConfigurableApplicationContext::close);
    }
}
