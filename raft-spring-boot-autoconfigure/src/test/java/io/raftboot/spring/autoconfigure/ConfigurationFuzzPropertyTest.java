package io.raftboot.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftboot.spring.cluster.ClusterSettings;
import io.raftboot.spring.cluster.PeerAddress;
import io.raftboot.spring.cluster.RaftConfigurationException;
import io.raftboot.spring.env.SeedEnvironment;
import io.raftboot.testsupport.property.Gen;
import io.raftboot.testsupport.property.PropertyLoop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * Malformed settings never end in anything but a {@link RaftConfigurationException} (which the
 * FailureAnalyzer prints as Property / Value / Problem / Action): random seed environments
 * (CLUSTER with duplicates, empty ids, bad ports, garbage), and random raft.* values (peers,
 * node ids, learners, durations, sizes, drift). What is accepted is consistent.
 */
class ConfigurationFuzzPropertyTest {

    private static final Path DATA = tempDir();

    @Test
    void anySeedEnvironmentMapsToValidPeersOrIsReportedByVariable() {
        PropertyLoop.forAll(
                500,
                r -> anySeedEnvironmentMapsToValidPeersOrIsReportedByVariable(
                        cluster(r), id(r), address(r), k8s(r), hostname(r)));
    }

    private static void anySeedEnvironmentMapsToValidPeersOrIsReportedByVariable(
            String cluster, String brokerId, String nodeAddress, String k8s, String hostname) {
        Map<String, String> env = new HashMap<>();
        env.put("CLUSTER", cluster);
        env.put("BROKER_ID", brokerId);
        env.put("NODE_ADDRESS", nodeAddress);
        env.put("K8S", k8s);
        env.put("HOSTNAME", hostname);
        Map<String, Object> mapped;
        try {
            mapped = SeedEnvironment.map(env::get, name -> null, false);
        } catch (RaftConfigurationException e) {
            assertThat(e.property())
                    .isIn("CLUSTER", "NODE_ADDRESS", "HOSTNAME", "BROKER_ID", "raft.kubernetes.replicas");
            assertThat(e.action()).isNotBlank();
            return;
        }
        mapped.forEach((key, value) -> {
            if (key.startsWith("raft.peers.")) {
                assertThat(key.substring("raft.peers.".length())).as("peer id").isNotBlank();
                PeerAddress.parse(String.valueOf(value)); // throws if the mapping let a bad address through
            }
        });
    }

    @Test
    void anyRaftSettingsValidateOrAreReportedByProperty() {
        PropertyLoop.forAll(500, r -> anyRaftSettingsValidateOrAreReportedByProperty(properties(r)));
    }

    private static void anyRaftSettingsValidateOrAreReportedByProperty(RaftProperties p) {
        try {
            ClusterSettings s = ClusterSettingsValidator.validate(p);
            assertThat(s.members()).containsKey(s.nodeId());
            assertThat(s.voters()).isNotEmpty();
            assertThat(s.electionTicks()).isGreaterThan(2 * s.heartbeatTicks());
            assertThat(s.maxValueBytes()).isLessThan(s.maxMessageBytes());
        } catch (RaftConfigurationException e) {
            assertThat(e.property()).startsWith("raft.");
            assertThat(e.problem()).isNotBlank();
            assertThat(e.action()).isNotBlank();
        }
    }

    // ------------------------------------------------------------------ generators
    // Mostly plausible values, often the edge cases named here, sometimes anything (and null).

    static String id(SplittableRandom r) {
        return switch (Gen.weighted(r, 5, 2, 1, 1)) {
            case 0 -> Gen.oneOf(r, "1", "2", "3", "n1", "broker-0");
            case 1 -> Gen.oneOf(r, "", " ", "=", ",", "1=2", "\u00e9", "a b");
            case 2 -> Gen.string(r, 8);
            default -> null;
        };
    }

    static String address(SplittableRandom r) {
        return switch (Gen.weighted(r, 5, 3, 1, 1)) {
            case 0 -> Gen.oneOf(r, "10.0.0.1:9090", "h2:9091", "[::1]:9092", "localhost:1");
            case 1 ->
                Gen.oneOf(
                        r,
                        "h:0",
                        "h:65536",
                        "h:-1",
                        "h:",
                        ":9090",
                        "h",
                        "::1:9090",
                        "h:9o90",
                        "h:99999999999",
                        "[::1]",
                        "h:9090:1",
                        " ");
            case 2 -> Gen.string(r, 12);
            default -> null;
        };
    }

    static String cluster(SplittableRandom r) {
        return switch (Gen.weighted(r, 6, 2, 1, 1)) {
            case 0 -> {
                List<String> entries = new ArrayList<>();
                for (int i = Gen.intBetween(r, 0, 5); i > 0; i--) {
                    String id = id(r);
                    String a = address(r);
                    entries.add((id == null ? "" : id) + "=" + (a == null ? "" : a));
                }
                yield String.join(",", entries);
            }
            case 1 -> Gen.oneOf(r, "1=h:1,1=h:2", "1=h:1,,2=h:2", ",", "=", "1=", "=h:1", "1=h:1;2=h:2");
            case 2 -> Gen.string(r, 30);
            default -> null;
        };
    }

    static String k8s(SplittableRandom r) {
        return Gen.oneOf(r, null, "false", "true", "TRUE", "yes");
    }

    static String hostname(SplittableRandom r) {
        return Gen.oneOf(
                r,
                null,
                "broker-0",
                "broker-2",
                "broker-9",
                "broker",
                "broker-",
                "-1",
                "broker-99999999999",
                "a-b-c-1");
    }

    static Duration duration(SplittableRandom r) {
        return switch (Gen.weighted(r, 6, 3, 1)) {
            case 0 -> Gen.oneOf(r, Duration.ofMillis(50), Duration.ofMillis(300), Duration.ofSeconds(3));
            case 1 ->
                Gen.oneOf(
                        r,
                        Duration.ZERO,
                        Duration.ofMillis(-1),
                        Duration.ofNanos(1),
                        Duration.ofDays(365_000),
                        Duration.ofSeconds(Long.MAX_VALUE / 2));
            default -> null;
        };
    }

    static DataSize size(SplittableRandom r) {
        return Gen.oneOf(
                r,
                DataSize.ofBytes(0),
                DataSize.ofBytes(-1),
                DataSize.ofBytes(1023),
                DataSize.ofKilobytes(64),
                DataSize.ofMegabytes(16),
                DataSize.ofGigabytes(3),
                null);
    }

    /**
     * Half of the time all random (nearly always refused), half of the time a valid configuration
     * with 0 to 2 settings replaced by random ones, so that the accepting branch (what is accepted
     * is consistent) is checked too: all random, not one try in 500 was accepted.
     */
    static RaftProperties properties(SplittableRandom r) {
        RaftProperties random = randomProperties(r);
        if (r.nextBoolean()) {
            return random;
        }
        RaftProperties p = new RaftProperties();
        Map<String, String> peers = new LinkedHashMap<>();
        int members = Gen.intBetween(r, 1, 4);
        for (int i = 1; i <= members; i++) {
            peers.put("n" + i, "h" + i + ":" + (9090 + i));
        }
        p.setPeers(peers);
        p.setNodeId("n" + Gen.intBetween(r, 1, members));
        p.setClusterId("default");
        p.setHeartbeatInterval(Duration.ofMillis(50));
        p.setElectionTimeout(Duration.ofMillis(300));
        p.setRpcTimeout(Duration.ofMillis(Gen.oneOf(r, 100, 1000)));
        p.setWriteTimeout(Duration.ofSeconds(3));
        p.setMaxMessageSize(DataSize.ofMegabytes(16));
        p.setMaxValueSize(DataSize.ofKilobytes(64));
        p.setMaxClockDrift(0.1);
        p.setLearners(new LinkedHashSet<>(members > 1 && r.nextBoolean() ? List.of("n" + members) : List.of()));
        p.setDataDir(DATA.resolve("node-" + Math.abs(p.getNodeId().hashCode())));
        for (int i = Gen.intBetween(r, 0, 2); i > 0; i--) {
            switch (r.nextInt(11)) {
                case 0 -> p.setPeers(random.getPeers());
                case 1 -> p.setNodeId(random.getNodeId());
                case 2 -> p.setClusterId(random.getClusterId());
                case 3 -> p.setElectionTimeout(random.getElectionTimeout());
                case 4 -> p.setHeartbeatInterval(random.getHeartbeatInterval());
                case 5 -> p.setRpcTimeout(random.getRpcTimeout());
                case 6 -> p.setWriteTimeout(random.getWriteTimeout());
                case 7 -> p.setMaxMessageSize(random.getMaxMessageSize());
                case 8 -> p.setMaxValueSize(random.getMaxValueSize());
                case 9 -> p.setMaxClockDrift(random.getMaxClockDrift());
                default -> p.setLearners(random.getLearners());
            }
        }
        return p;
    }

    static RaftProperties randomProperties(SplittableRandom r) {
        Map<String, String> peers = new LinkedHashMap<>();
        for (int i = Gen.intBetween(r, 0, 5); i > 0; i--) {
            String id = id(r);
            String a = address(r);
            if (id != null) {
                peers.put(id, a);
            }
        }
        String nodeId = id(r);
        RaftProperties p = new RaftProperties();
        p.setPeers(peers);
        p.setNodeId(nodeId);
        p.setClusterId(Gen.oneOf(r, "default", "", " ", "orders"));
        p.setElectionTimeout(duration(r));
        p.setHeartbeatInterval(duration(r));
        p.setRpcTimeout(duration(r));
        p.setMaxMessageSize(size(r));
        p.setMaxValueSize(size(r));
        p.setMaxClockDrift(Gen.oneOf(r, 0.0, 0.1, 0.49, 0.5, -0.1, Double.NaN, Double.POSITIVE_INFINITY));
        List<String> learners = new ArrayList<>();
        for (int i = Gen.intBetween(r, 0, 3); i > 0; i--) {
            learners.add(id(r));
        }
        p.setLearners(
                new LinkedHashSet<>(learners.stream().filter(Objects::nonNull).toList()));
        p.setWriteTimeout(duration(r));
        p.setDataDir(DATA.resolve(nodeId == null || nodeId.isBlank() ? "none" : "node-" + Math.abs(nodeId.hashCode())));
        return p;
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("raft-config-fuzz");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
