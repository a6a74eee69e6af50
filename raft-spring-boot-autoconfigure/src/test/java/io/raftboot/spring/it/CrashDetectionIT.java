package io.raftboot.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash-fast detection over real gRPC on loopback: when the leader's connections close and its
 * port refuses connections, the survivors elect a new leader well within the election timeout;
 * the new leader's lease ({@code isLeader()}) still waits for the old one's to end.
 */
class CrashDetectionIT {

    /** Long enough that an election after the timeout cannot pass for a crash-fast one. */
    private static final String ELECTION_TIMEOUT = "3s";

    @TempDir
    Path data;

    private RaftTestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private RaftTestCluster start(boolean crashDetection) {
        return new RaftTestCluster(3, data, TestNodeApp.class)
                .with("raft.election-timeout", ELECTION_TIMEOUT)
                .with("raft.shutdown.handoff-timeout", "0s")
                .with("raft.crash-detection", String.valueOf(crashDetection))
                .startAll();
    }

    /** The Raft leader every running node names, if they agree on one other than {@code old}. */
    private Optional<String> newLeaderAgreed(String old) {
        List<Optional<String>> named = cluster.running().stream()
                .map(id -> cluster.leadership(id).leaderId())
                .toList();
        Optional<String> first = named.get(0);
        return first.isPresent() && !first.get().equals(old) && named.stream().allMatch(first::equals)
                ? first
                : Optional.empty();
    }

    @Test
    void survivorsOfALeaderWhosePortRefusesConnectionsElectWithoutWaitingForTheElectionTimeout() {
        cluster = start(true);
        String old = cluster.awaitAgreedLeader(Duration.ofSeconds(20));
        long term = cluster.leadership(old).term();

        long closed = System.nanoTime();
        cluster.close(old);
        String next = await().atMost(Duration.ofMillis(1500))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> newLeaderAgreed(old), Optional::isPresent)
                .orElseThrow();
        long electedMillis = (System.nanoTime() - closed) / 1_000_000;

        assertThat(cluster.leadership(next).term()).isGreaterThan(term);
        assertThat(cluster.leadership(next).isLeader())
                .as(
                        "elected after %d ms: its voters had promised the old leader up to 3 s, so no lease yet",
                        electedMillis)
                .isFalse();
        await().atMost(Duration.ofSeconds(8))
                .until(() -> cluster.leadership(next).isLeader());
    }

    @Test
    void withCrashDetectionOffTheSurvivorsWaitForTheElectionTimeout() {
        cluster = start(false);
        String old = cluster.awaitAgreedLeader(Duration.ofSeconds(20));

        cluster.close(old);

        await().during(Duration.ofMillis(1500))
                .atMost(Duration.ofMillis(2500))
                .until(() -> newLeaderAgreed(old).isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> newLeaderAgreed(old).isPresent());
    }
}
