package io.raftboot.samples.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.raftboot.testsupport.network.DelayProxy;
import io.raftboot.testsupport.process.NodeProcess;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three JVMs of the sample jar whose Raft traffic crosses a slow network: every node is listed in
 * everyone's raft.peers at a {@link DelayProxy} in front of its gRPC port, so every request and
 * every reply between two nodes is delayed by the one-way delay (the round trip is twice it). With
 * the defaults (300 ms election timeout, 50 ms heartbeats): at 50 ms one way some node holds the
 * lease through the whole window (lease-probe logs, {@link LeaseAvailability}); at 150 ms one way
 * the nodes agree on one leader, the same one, for the whole window, and every write through a
 * random node is acknowledged and ends up on every node; at 100 ms one way, past the lease's edge,
 * the lease does not flap. {@code -Draft.it.slow.delays=75,100,125}
 * also measures the lease at those delays (logged, not asserted). The numbers go to
 * {@code target/it-cluster/slow-network.txt}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlowNetworkIT {

    private static final Logger LOG = LoggerFactory.getLogger(SlowNetworkIT.class);
    private static final Duration START_DEADLINE = Duration.ofSeconds(120);
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final Duration WINDOW = Duration.ofSeconds(Long.getLong("raft.it.slow.windowSeconds", 10));
    private static final Duration WRITE_HTTP_TIMEOUT = Duration.ofSeconds(8);

    private static Path dir;
    private static LocalCluster cluster;
    private static final Map<String, DelayProxy> proxies = new LinkedHashMap<>();
    private static final List<String> summary = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void startThreeNodesBehindProxies() {
        Path base = Path.of(System.getProperty("raft.it.dir", "target/it-cluster"));
        dir = base.resolve("slow-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Path jar = Path.of(System.getProperty("leader-scheduler.jar", "target/leader-scheduler.jar"));
        cluster = LocalCluster.of(3, dir, jar, base);
        for (NodeProcess node : cluster.nodes()) {
            DelayProxy proxy = new DelayProxy(0, node.raftPort(), Duration.ZERO);
            proxies.put(node.id(), proxy);
            cluster.advertise(node.id(), proxy.port());
        }
        cluster.startAll();
        NodeStatus leader = awaitPresent(
                "a leader agreed by all three nodes after the start",
                START_DEADLINE,
                () -> cluster.agreedLeader(cluster.ids()));
        LOG.info("Cluster up in {} behind {}: {} leads term {}", dir, proxies.values(), leader.nodeId(), leader.term());
    }

    @AfterAll
    static void stopEverything() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
        proxies.values().forEach(DelayProxy::close);
        if (!summary.isEmpty() && dir != null) {
            Files.writeString(dir.getParent().resolve("slow-network.txt"), String.join("\n", summary) + "\n");
        }
    }

    @Test
    @Order(0)
    void everyNodeKnowsItsPeersAtTheirProxiesAsTheLogsMembershipSaysToo() {
        for (String id : cluster.ids()) {
            JsonNode status =
                    cluster.getJson(id, "/actuator/raft", Duration.ofSeconds(2)).orElseThrow();
            for (JsonNode peer : status.get("peers")) {
                String peerId = peer.get("id").asText();
                assertThat(peer.get("url").asText())
                        .as("%s's address of %s", id, peerId)
                        .isEqualTo("127.0.0.1:" + proxies.get(peerId).port());
            }
        }
    }

    @Test
    @Order(1)
    void atFiftyMillisecondsOneWaySomeNodeHoldsTheLeaseThroughoutTheWindow() {
        Phase phase = measure(Duration.ofMillis(50), false);

        assertThat(phase.lease().holes())
                .as("holes in the lease at 50 ms one way: %s", phase)
                .isZero();
        assertThat(phase.leaders()).as("leaders at 50 ms one way: %s", phase).hasSize(1);
    }

    @Test
    @Order(2)
    void atOneHundredFiftyMillisecondsOneWayOneLeaderStaysAndEveryWriteIsAcknowledged() {
        Phase phase = measure(Duration.ofMillis(150), true);

        assertThat(phase.leaders())
                .as("leaders (id@term) the nodes agreed on at 150 ms one way: %s", phase)
                .hasSize(1);
        assertThat(phase.agreedShare())
                .as("share of polls in which all three agreed on a leader: %s", phase)
                .isGreaterThanOrEqualTo(0.9);
        assertThat(phase.failedWrites()).as("failed writes: %s", phase).isEmpty();
        assertThat(phase.acknowledged()).as("acknowledged writes: %s", phase).hasSizeGreaterThanOrEqualTo(3);
        proxies.values().forEach(p -> p.setDelay(Duration.ZERO)); // the reads below need not wait
        for (String id : cluster.ids()) {
            awaitPresent(
                    "every acknowledged write on " + id,
                    DEADLINE,
                    () -> missing(id, phase.acknowledged()).isEmpty() ? Optional.of(true) : Optional.empty());
        }
    }

    /**
     * Past the lease's edge (a round trip plus the heartbeat interval about the 250 ms lease) the
     * lease must not flap: it may end once, when the delay changes, and stays off (hysteresis),
     * instead of ending and coming back with every heartbeat (193 times in 10 s before).
     */
    @Test
    @Order(3)
    void atOneHundredMillisecondsOneWayTheLeaseDoesNotFlap() {
        Phase phase = measure(Duration.ofMillis(100), false);

        assertThat(phase.lease().losses())
                .as("times a lease-holder lost the lease at 100 ms one way: %s", phase)
                .isLessThanOrEqualTo(1);
        assertThat(phase.leaders()).as("leaders at 100 ms one way: %s", phase).hasSize(1);
    }

    /** A measurement only: {@code -Draft.it.slow.delays=75,100,125}. */
    @Test
    @Order(4)
    void measuresTheLeaseAtFurtherDelays() {
        String delays = System.getProperty("raft.it.slow.delays", "").trim();
        Assumptions.assumeFalse(delays.isEmpty(), "no -Draft.it.slow.delays given");
        for (String d : delays.split(",")) {
            measure(Duration.ofMillis(Long.parseLong(d.trim())), true);
        }
    }

    // ------------------------------------------------------------------ measuring

    /** What one window at one delay showed. */
    record Phase(
            Duration oneWay,
            Set<String> leaders,
            double agreedShare,
            LeaseAvailability lease,
            Map<String, String> acknowledged,
            List<String> failedWrites,
            List<Long> writeMillis) {

        @Override
        public String toString() {
            List<Long> sorted = writeMillis.stream().sorted().toList();
            String latency = sorted.isEmpty()
                    ? "no write acknowledged"
                    : "write latency p50 " + sorted.get(sorted.size() / 2) + " ms, max " + sorted.get(sorted.size() - 1)
                            + " ms";
            return String.format(
                    "one-way %d ms: leaders %s, all three agreed in %.0f%% of polls; %s; writes %d acknowledged, %d"
                            + " failed %s; %s",
                    oneWay.toMillis(),
                    leaders,
                    100 * agreedShare,
                    lease,
                    acknowledged.size(),
                    failedWrites.size(),
                    failedWrites.stream().limit(3).toList(),
                    latency);
        }
    }

    /**
     * Sets every proxy to {@code oneWay}, then for {@link #WINDOW} polls the nodes' status about
     * every 100 ms and, if asked, writes keys one after another through random nodes; then reads
     * the lease-probe logs for the window.
     */
    private static Phase measure(Duration oneWay, boolean write) {
        proxies.values().forEach(p -> p.setDelay(Duration.ZERO)); // a failed phase must not spoil the next
        awaitPresent(
                "a leader agreed by all three nodes before the delay changes",
                DEADLINE,
                () -> cluster.agreedLeader(cluster.ids()));
        proxies.values().forEach(p -> p.setDelay(oneWay));
        long from = System.nanoTime();
        long to = from + WINDOW.toNanos();
        Map<String, String> acknowledged = Collections.synchronizedMap(new LinkedHashMap<>());
        List<String> failed = Collections.synchronizedList(new ArrayList<>());
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean writing = new AtomicBoolean(write);
        Thread writer = new Thread(
                () -> write(oneWay, to, writing, acknowledged, failed, latencies), "slow-writer-" + oneWay.toMillis());
        writer.setDaemon(true);
        writer.start();
        Set<String> leaders = new LinkedHashSet<>();
        int polls = 0;
        int agreed = 0;
        while (System.nanoTime() - to < 0) {
            long started = System.nanoTime();
            Optional<NodeStatus> leader = cluster.agreedLeader(cluster.ids());
            polls++;
            if (leader.isPresent()) {
                agreed++;
                leaders.add(leader.get().nodeId() + "@" + leader.get().term());
            }
            pace(started, 100);
        }
        writing.set(false);
        try {
            writer.join(WRITE_HTTP_TIMEOUT.toMillis() + 2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LeaseAvailability lease = LeaseAvailability.of(
                cluster.ids().stream()
                        .map(id ->
                                LeaseIntervals.read(cluster.node(id).dataDir().resolve("lease-probe.log")))
                        .toList(),
                from,
                to);
        Phase phase = new Phase(
                oneWay,
                leaders,
                polls == 0 ? 0 : (double) agreed / polls,
                lease,
                Map.copyOf(acknowledged),
                List.copyOf(failed),
                List.copyOf(latencies));
        LOG.info("Slow network: {}", phase);
        summary.add(phase.toString());
        return phase;
    }

    private static void write(
            Duration oneWay,
            long until,
            AtomicBoolean writing,
            Map<String, String> acknowledged,
            List<String> failed,
            List<Long> latencies) {
        List<String> ids = cluster.ids();
        for (int n = 1; writing.get() && System.nanoTime() - until < 0; n++) {
            String node = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
            String key = "slow-" + oneWay.toMillis() + "-" + n;
            String value = "v" + n + " via " + node;
            long started = System.nanoTime();
            try {
                HttpResponse<String> response = cluster.put(node, "/config/" + key, value, WRITE_HTTP_TIMEOUT);
                long millis = (System.nanoTime() - started) / 1_000_000;
                if (response.statusCode() == 200) {
                    acknowledged.put(key, value);
                    latencies.add(millis);
                } else {
                    failed.add(key + " via " + node + ": " + response.statusCode() + " after " + millis + " ms "
                            + response.body());
                }
            } catch (IOException e) {
                failed.add(key + " via " + node + ": " + e);
            } catch (InterruptedException e) {
                return;
            }
            pace(started, 50);
        }
    }

    private static List<String> missing(String id, Map<String, String> acknowledged) {
        return acknowledged.entrySet().stream()
                .filter(e -> {
                    try {
                        HttpResponse<String> r = cluster.get(id, "/config/" + e.getKey(), Duration.ofSeconds(2));
                        return r.statusCode() != 200
                                || !LocalCluster.JSON
                                        .readTree(r.body())
                                        .path("value")
                                        .asText()
                                        .equals(e.getValue());
                    } catch (IOException ex) {
                        return true;
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                        return true;
                    }
                })
                .map(Map.Entry::getKey)
                .collect(Collectors.toList());
    }

    /** Pacing of a measurement loop (not a wait for a condition). */
    private static void pace(long startedNanos, long periodMillis) {
        long left = periodMillis - (System.nanoTime() - startedNanos) / 1_000_000;
        if (left > 0) {
            try {
                Thread.sleep(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static <T> T awaitPresent(String what, Duration deadline, Callable<Optional<T>> probe) {
        List<T> found = new ArrayList<>(1);
        try {
            await().alias(what)
                    .atMost(deadline)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        Optional<T> value = probe.call();
                        value.ifPresent(found::add);
                        return value.isPresent();
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    "no " + what + " within " + deadline.toSeconds() + " s: " + cluster.describe() + "\n"
                            + cluster.logTails(20),
                    e);
        }
        return found.get(0);
    }
}
