package io.raftboot.samples.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes path on real processes (no cluster runs here; {@link StatefulSetCluster} plays
 * the StatefulSet and its DNS): three pods in K8S mode elect a leader; {@code kubectl scale} to 5
 * is starting pods 3 and 4, which ask to join (raft.membership.auto-join) and become voters with
 * no operator call; a follower comes back at a new IP and is reached there, through its
 * re-resolved name; scaling back to 3 is one {@code remove} per pod, then stopping it.
 */
class StatefulSetScaleIT {

    private static final Logger LOG = LoggerFactory.getLogger(StatefulSetScaleIT.class);
    private static final Duration START_DEADLINE = Duration.ofSeconds(120);
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private StatefulSetCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void scaleUpByAutoJoinReachAPodAtItsNewAddressAndScaleDown() throws Exception {
        Path base = Path.of(System.getProperty("raft.it.dir", "target/it-cluster"));
        Path dir = base.resolve(
                "statefulset-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Path jar = Path.of(System.getProperty("leader-scheduler.jar", "target/leader-scheduler.jar"));
        java.nio.file.Files.createDirectories(dir);
        cluster = new StatefulSetCluster(dir, LocalCluster.launch(jar, base), 3);
        for (int ordinal = 0; ordinal < 3; ordinal++) {
            cluster.pod(ordinal);
        }
        cluster.startAll();
        String leader = cluster.awaitLeader(List.of("0", "1", "2"), START_DEADLINE);
        write(leader, "before", "1");

        // kubectl scale --replicas=5: pods 3 and 4 start, ask to join, and become voters.
        long scaled = System.nanoTime();
        cluster.pod(3);
        cluster.pod(4);
        cluster.start("3");
        cluster.start("4");
        List<String> five = List.of("0", "1", "2", "3", "4");
        await("pods 3 and 4 voters on every pod").atMost(START_DEADLINE).untilAsserted(() -> {
            for (String id : five) {
                assertThat(cluster.roles(id))
                        .as("roles on pod " + id)
                        .containsEntry("3", "voter")
                        .containsEntry("4", "voter")
                        .hasSize(5);
            }
        });
        LOG.info(
                "Pods 3 and 4 were voters on every pod {} ms after they were started",
                (System.nanoTime() - scaled) / 1_000_000);
        awaitValue("4", "before", "1");

        // A follower restarts at a new IP, as a rescheduled pod does: its name now resolves there.
        leader = cluster.awaitLeader(five, DEADLINE);
        String moved = leader.equals("1") ? "2" : "1";
        cluster.node(moved).stop();
        cluster.move(moved, "127.0.0.4" + moved);
        long restarted = System.nanoTime();
        cluster.start(moved);
        leader = cluster.awaitLeader(five, START_DEADLINE);
        write(leader, "after-move", "2");
        awaitValue(moved, "after-move", "2");
        LOG.info(
                "Pod {} had a write from the leader at its new address {} ms after its restart",
                moved,
                (System.nanoTime() - restarted) / 1_000_000);

        // kubectl scale --replicas=3: remove pods 4 and 3 on the leader first, one at a time.
        for (String gone : List.of("4", "3")) {
            leader = cluster.awaitLeader(cluster.serving(), DEADLINE);
            HttpResponse<String> answer = cluster.membership(leader, "remove", "{\"id\":\"" + gone + "\"}", DEADLINE);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            cluster.node(gone).stop();
        }
        List<String> three = List.of("0", "1", "2");
        leader = cluster.awaitLeader(three, DEADLINE);
        assertThat(cluster.roles(leader)).containsOnlyKeys(three).containsValues("voter");
        write(leader, "after-scale-down", "3");
        for (String id : three) {
            awaitValue(id, "after-scale-down", "3");
        }
    }

    private void write(String id, String key, String value) throws Exception {
        HttpResponse<String> response = cluster.put(id, "/config/" + key, value, DEADLINE);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private void awaitValue(String id, String key, String value) {
        await(key + "=" + value + " on pod " + id)
                .atMost(DEADLINE)
                .until(() -> cluster.getJson(id, "/config/" + key, Duration.ofMillis(500))
                        .map(json -> json.path("value").asText())
                        .filter(value::equals)
                        .isPresent());
    }
}
