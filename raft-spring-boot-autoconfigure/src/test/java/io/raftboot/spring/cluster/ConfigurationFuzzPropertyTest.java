package io.raftboot.spring.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftboot.spring.autoconfigure.RaftProperties;
import io.raftboot.spring.env.SeedEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.springframework.util.unit.DataSize;

/**
 * Malformed settings never end in anything but a {@link RaftConfigurationException} (which the
 * FailureAnalyzer prints as Property / Value / Problem / Action): random seed environments
 * (CLUSTER with duplicates, empty ids, bad ports, garbage), and random raft.* values (peers,
 * node ids, learners, durations, sizes, drift). What is accepted is consistent.
 */
class ConfigurationFuzzPropertyTest {

    private static final Path DATA = tempDir();

    @Property(tries = 500)
    void anySeedEnvironmentMapsToValidPeersOrIsReportedByVariable(@ForAll("clusters") String cluster, @ForAll("ids") String brokerId,
                                                                    @ForAll("addresses") String nodeAddress, @ForAll("k8s") String k8s,
                                                                    @ForAll("hostnames") String hostname) {
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
            assertThat(e.property()).isIn("CLUSTER", "NODE_ADDRESS", "HOSTNAME", "BROKER_ID", "raft.kubernetes.replicas");
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

    @Property(tries = 500)
    void anyRaftSettingsValidateOrAreReportedByProperty(@ForAll("properties") RaftProperties p) {
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

    @Provide
    Arbitrary<String> ids() {
        return Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.of("1", "2", "3", "n1", "broker-0")),
                Tuple.of(2, Arbitraries.of("", " ", "=", ",", "1=2", "\u00e9", "a b")),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(8)),
                Tuple.of(1, Arbitraries.just(null)));
    }

    @Provide
    Arbitrary<String> addresses() {
        return Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.of("10.0.0.1:9090", "h2:9091", "[::1]:9092", "localhost:1")),
                Tuple.of(3, Arbitraries.of("h:0", "h:65536", "h:-1", "h:", ":9090", "h", "::1:9090", "h:9o90", "h:99999999999", "[::1]", "h:9090:1", " ")),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(12)),
                Tuple.of(1, Arbitraries.just(null)));
    }

    @Provide
    Arbitrary<String> clusters() {
        Arbitrary<String> entry = Combinators.combine(ids(), addresses()).as((id, a) -> (id == null ? "" : id) + "=" + (a == null ? "" : a));
        return Arbitraries.frequencyOf(
                Tuple.of(6, entry.list().ofMaxSize(5).map(l -> String.join(",", l))),
                Tuple.of(2, Arbitraries.of("1=h:1,1=h:2", "1=h:1,,2=h:2", ",", "=", "1=", "=h:1", "1=h:1;2=h:2")),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(30)),
                Tuple.of(1, Arbitraries.just(null)));
    }

    @Provide
    Arbitrary<String> k8s() {
        return Arbitraries.of(null, "false", "true", "TRUE", "yes");
    }

    @Provide
    Arbitrary<String> hostnames() {
        return Arbitraries.of(null, "broker-0", "broker-2", "broker-9", "broker", "broker-", "-1", "broker-99999999999", "a-b-c-1");
    }

    @Provide
    Arbitrary<RaftProperties> properties() {
        Arbitrary<Map<String, String>> peers = Combinators.combine(ids(), addresses()).as(Tuple::of).list().ofMaxSize(5).map(list -> {
            Map<String, String> m = new LinkedHashMap<>();
            list.forEach(t -> {
                if (t.get1() != null) {
                    m.put(t.get1(), t.get2());
                }
            });
            return m;
        });
        Arbitrary<Duration> durations = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of(Duration.ofMillis(50), Duration.ofMillis(300), Duration.ofSeconds(3))),
                Tuple.of(3, Arbitraries.of(Duration.ZERO, Duration.ofMillis(-1), Duration.ofNanos(1), Duration.ofDays(365_000), Duration.ofSeconds(Long.MAX_VALUE / 2))),
                Tuple.of(1, Arbitraries.just(null)));
        Arbitrary<DataSize> sizes = Arbitraries.of(DataSize.ofBytes(0), DataSize.ofBytes(-1), DataSize.ofBytes(1023), DataSize.ofKilobytes(64),
                DataSize.ofMegabytes(16), DataSize.ofGigabytes(3), null);
        Arbitrary<Double> drift = Arbitraries.of(0.0, 0.1, 0.49, 0.5, -0.1, Double.NaN, Double.POSITIVE_INFINITY);
        return Combinators.combine(peers, ids(), Arbitraries.of("default", "", " ", "orders"), durations, durations, durations, sizes, sizes)
                .flatAs((peerMap, nodeId, clusterId, election, heartbeat, rpc, maxMessage, maxValue) ->
                        Combinators.combine(drift, ids().list().ofMaxSize(3), durations).as((d, learners, write) -> {
                            RaftProperties p = new RaftProperties();
                            p.setPeers(peerMap);
                            p.setNodeId(nodeId);
                            p.setClusterId(clusterId);
                            p.setElectionTimeout(election);
                            p.setHeartbeatInterval(heartbeat);
                            p.setRpcTimeout(rpc);
                            p.setWriteTimeout(write);
                            p.setMaxMessageSize(maxMessage);
                            p.setMaxValueSize(maxValue);
                            p.setMaxClockDrift(d);
                            p.setLearners(new LinkedHashSet<>(learners.stream().filter(java.util.Objects::nonNull).toList()));
                            p.setDataDir(DATA.resolve(nodeId == null || nodeId.isBlank() ? "none" : "node-" + Math.abs(nodeId.hashCode())));
                            return p;
                        }));
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("raft-config-fuzz");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
