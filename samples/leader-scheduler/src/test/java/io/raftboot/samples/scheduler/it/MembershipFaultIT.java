package io.raftboot.samples.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.raftboot.testsupport.process.NodeProcess;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Membership changes on real processes while writes flow: from three nodes, n4 and n5 join (fresh
 * data directories) and become voters, the leader is killed once with kill -9, two of the first
 * three are removed, and one whose disk is lost is replaced by a node with a new id. Every
 * acknowledged write must be on every final member, with no two leaders in a term.
 * {@code -Draft.it.preloadKeys=10000} first writes that many keys and reports how long a new node
 * takes from its start to being a voter.
 */
class MembershipFaultIT {

    private static final Logger LOG = LoggerFactory.getLogger(MembershipFaultIT.class);
    private static final Duration START_DEADLINE = Duration.ofSeconds(120);
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Duration CHANGE_TIMEOUT = Duration.ofSeconds(90);

    private LocalCluster cluster;
    private ClusterMonitor monitor;
    private ConfigWriter writer;

    @AfterEach
    void stop() {
        Stream.of(writer, monitor, cluster).filter(c -> c != null).forEach(c -> {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {}", c, e);
            }
        });
    }

    @Test
    void scaleFromThreeToFiveBackToThreeAndReplaceALostNode() throws Exception {
        Path base = Path.of(System.getProperty("raft.it.dir", "target/it-cluster"));
        Path dir = base.resolve(
                "membership-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Path jar = Path.of(System.getProperty("leader-scheduler.jar", "target/leader-scheduler.jar"));
        cluster = LocalCluster.of(3, dir, jar, base);
        cluster.startAll();
        cluster.awaitLeader(List.of("n1", "n2", "n3"), START_DEADLINE);
        preload(Integer.getInteger("raft.it.preloadKeys", 0));
        monitor = new ClusterMonitor(cluster).start();
        writer = new ConfigWriter(cluster).start();
        await().atMost(DEADLINE).until(() -> writer.acknowledged().size() >= 5);

        // 3 -> 5: each new node starts empty, is added as a voter, and catches up first.
        addVoter("n4");
        String killed = cluster.awaitLeader(members(), DEADLINE);
        cluster.node(killed).kill();
        LOG.info("Killed the leader {} with kill -9", killed);
        cluster.awaitLeader(without(members(), killed), DEADLINE);
        cluster.start(killed);
        addVoter("n5");
        assertThat(roles(cluster.awaitLeader(members(), DEADLINE)))
                .containsEntry("n4", "voter")
                .containsEntry("n5", "voter")
                .hasSize(5);

        // 5 -> 3: remove two of the first three, one at a time, then stop them.
        for (String gone : List.of("n1", "n2")) {
            change("remove", "{\"id\":\"" + gone + "\"}");
            cluster.node(gone).stop();
        }
        // Replace n3, whose disk is lost, by n6: remove it, then add the new node under a new id.
        NodeProcess n3 = cluster.node("n3");
        n3.kill();
        deleteRecursively(n3.dataDir());
        change("remove", "{\"id\":\"n3\"}");
        addVoter("n6");

        List<String> finalMembers = List.of("n4", "n5", "n6");
        String leader = cluster.awaitLeader(finalMembers, DEADLINE);
        assertThat(roles(leader)).containsOnlyKeys("n4", "n5", "n6").containsValues("voter");
        writer.close();
        Map<String, String> acknowledged = writer.acknowledged();
        LOG.info("{} writes acknowledged, outcomes {}", acknowledged.size(), writer.outcomes());
        assertThat(writer.violations()).isEmpty();
        assertThat(acknowledged).hasSizeGreaterThan(20);
        await("every acknowledged write on every final member")
                .atMost(DEADLINE)
                .until(() -> finalMembers.stream()
                        .allMatch(id -> cluster.missingOrWrong(id, acknowledged).isEmpty()));
        assertThat(monitor.violations())
                .as("two leaders in a term, or other violations")
                .isEmpty();
        LOG.info("Leaders by term: {}", monitor.leaderOfTerm());
    }

    /** Starts {@code id} with an empty data directory and adds it as a voter on the leader. */
    private void addVoter(String id) throws Exception {
        long started = System.nanoTime();
        NodeProcess node = cluster.join(id);
        await(id + " answering")
                .atMost(START_DEADLINE)
                .until(() -> cluster.status(id, Duration.ofMillis(500)).isPresent());
        long serving = System.nanoTime();
        JsonNode answer =
                change("add-voter", "{\"id\":\"" + id + "\",\"address\":\"127.0.0.1:" + node.raftPort() + "\"}");
        LOG.info(
                "{} is a voter (configuration {}): {} ms after its start, {} ms after it answered HTTP",
                id,
                answer.path("membershipIndex").asLong(),
                (System.nanoTime() - started) / 1_000_000,
                (System.nanoTime() - serving) / 1_000_000);
    }

    /** A membership operation on the leader of the moment (retried on another node if leadership moved). */
    private JsonNode change(String operation, String body) throws Exception {
        long deadline = System.nanoTime() + CHANGE_TIMEOUT.toNanos();
        while (true) {
            String leader = cluster.awaitLeader(members(), DEADLINE);
            HttpResponse<String> response = cluster.membership(leader, operation, body, CHANGE_TIMEOUT);
            JsonNode answer = LocalCluster.JSON.readTree(response.body());
            if (response.statusCode() == 200 && answer.path("ok").asBoolean()) {
                LOG.info("{} {} on {}: {}", operation, body, leader, response.body());
                return answer;
            }
            LOG.info(
                    "{} {} on {} refused (HTTP {}): {}",
                    operation,
                    body,
                    leader,
                    response.statusCode(),
                    response.body());
            assertThat(answer.path("error").asText())
                    .as("only a leadership change may refuse a valid membership change")
                    .containsAnyOf("leader", "not committed", "NotLeader");
            assertThat(System.nanoTime() - deadline)
                    .as(operation + " " + body + " in time")
                    .isNegative();
        }
    }

    /** The members as the first serving node's latest status says (or the started nodes). */
    private List<String> members() {
        for (String id : cluster.serving()) {
            Optional<JsonNode> status = cluster.getJson(id, "/actuator/raft", Duration.ofMillis(500));
            if (status.isPresent() && status.get().has("members")) {
                return roleMap(status.get()).keySet().stream().sorted().toList();
            }
        }
        return cluster.serving();
    }

    private Map<String, String> roles(String id) {
        return cluster.roles(id);
    }

    private static Map<String, String> roleMap(JsonNode status) {
        Map<String, String> roles = new java.util.TreeMap<>();
        status.get("members")
                .forEach(m -> roles.put(m.get("id").asText(), m.get("role").asText()));
        return roles;
    }

    private static List<String> without(List<String> ids, String id) {
        return ids.stream().filter(i -> !i.equals(id)).toList();
    }

    /** Writes {@code keys} keys (8 at a time), so a joining node has a real store to catch up with. */
    private void preload(int keys) throws InterruptedException {
        if (keys <= 0) {
            return;
        }
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int i = 0; i < keys; i++) {
            String key = String.format("preload-%06d", i);
            pool.execute(() -> {
                String node = cluster.ids().get(Math.floorMod(key.hashCode(), 3));
                try {
                    cluster.put(node, "/config/" + key, "value of " + key, Duration.ofSeconds(10));
                } catch (IOException e) {
                    LOG.warn("preload {}: {}", key, e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.MINUTES)).isTrue();
        LOG.info("Preloaded {} keys in {} ms", keys, (System.nanoTime() - started) / 1_000_000);
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
