package io.raftboot.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftboot.spring.cluster.ClusterSettings;
import io.raftboot.spring.cluster.PeerAddress;
import io.raftboot.spring.cluster.RaftConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.mock.env.MockEnvironment;

class ClusterSettingsValidatorTest {

    @TempDir
    Path data;

    private static final ClassLoader LOADER = ClusterSettingsValidatorTest.class.getClassLoader();

    private RaftProperties threeNodes() {
        RaftProperties p = new RaftProperties();
        p.setNodeId("n2");
        p.getPeers().put("n1", "10.0.0.1:9091");
        p.getPeers().put("n2", "10.0.0.2:9092");
        p.getPeers().put("n3", "[::1]:9093");
        p.setDataDir(data);
        return p;
    }

    @Test
    void defaultsGiveTenMillisecondTicksAndSubSecondFailover() {
        ClusterSettings s = ClusterSettingsValidator.validate(threeNodes());
        assertThat(s.tick()).isEqualTo(Duration.ofMillis(10));
        assertThat(s.heartbeatTicks()).isEqualTo(5);
        assertThat(s.electionTicks()).isEqualTo(30);
        assertThat(s.self()).isEqualTo(new PeerAddress("10.0.0.2", 9092));
        assertThat(s.addressOf("n3").toString()).isEqualTo("[::1]:9093");
        assertThat(s.voters()).containsExactlyInAnyOrder("n1", "n2", "n3");
        assertThat(s.rpcTimeout()).isEqualTo(Duration.ofMillis(1200));
        assertThat(s.clusterId()).isEqualTo("default");
    }

    @Test
    void absurdlyLongDurationsAreReportedNotOverflowed() {
        // Found by ConfigurationFuzzPropertyTest: a heartbeat of ~10^15 s overflowed toMillis()
        // while the validator built its error message (ArithmeticException, no report).
        RaftProperties p = threeNodes();
        p.setHeartbeatInterval(Duration.ofSeconds(Long.MAX_VALUE / 4));
        p.setElectionTimeout(Duration.ofSeconds(Long.MAX_VALUE / 8));

        assertThatThrownBy(() -> ClusterSettingsValidator.validate(p))
                .isInstanceOf(RaftConfigurationException.class)
                .satisfies(e ->
                        assertThat(((RaftConfigurationException) e).property()).isEqualTo("raft.heartbeat-interval"));
    }

    @Test
    void aSingleNodeIsAClusterOfItselfOnALoopbackPortWhateverThePeersSay() {
        RaftProperties p = threeNodes();
        p.setNodeId(null);
        p.setLearners(Set.of("n3"));
        p.setSingleNode(true);
        ClusterSettings s = ClusterSettingsValidator.validate(p);
        assertThat(s.nodeId()).isEqualTo("local");
        assertThat(s.voters()).containsExactly("local");
        assertThat(s.learners()).isEmpty();
        assertThat(s.members()).containsOnlyKeys("local");
        assertThat(s.self().host()).isEqualTo("127.0.0.1");
        assertThat(ClusterSettingsValidator.ownServerAddress(p, s, new MockEnvironment(), LOADER)
                        .getAddress()
                        .isLoopbackAddress())
                .isTrue();
    }

    @Test
    void withoutPeersTheErrorNamesTheSingleNodeModeAndTheOffSwitch() {
        RaftProperties p = new RaftProperties();
        p.setDataDir(data);
        assertThatThrownBy(() -> ClusterSettingsValidator.validate(p))
                .isInstanceOf(RaftConfigurationException.class)
                .hasMessageContaining("raft.single-node=true")
                .hasMessageContaining("raft.enabled=false");
    }

    @Test
    void theOwnServerRefusesThePortOfTheApplicationsGrpcServer() {
        RaftProperties p = threeNodes();
        ClusterSettings s = ClusterSettingsValidator.validate(p);
        for (String appPort : ClusterSettingsValidator.APPLICATION_GRPC_PORTS.keySet()) {
            MockEnvironment environment = new MockEnvironment().withProperty(appPort, "9092");
            assertThatThrownBy(() -> ClusterSettingsValidator.ownServerAddress(p, s, environment, LOADER))
                    .isInstanceOf(RaftConfigurationException.class)
                    .hasMessageContaining(appPort + "=9092")
                    .satisfies(e -> assertThat(((RaftConfigurationException) e).property())
                            .isEqualTo("raft.peers.n2"));
        }
        assertThat(ClusterSettingsValidator.ownServerAddress(
                                p, s, new MockEnvironment().withProperty("grpc.server.port", "9000"), LOADER)
                        .getPort())
                .isEqualTo(9092);
        // Without net.devh's server on the class path, a leftover grpc.server.port takes no port.
        ClassLoader withoutNetDevh = new FilteredClassLoader(ServerMode.NET_DEVH_SERVICE);
        assertThat(ClusterSettingsValidator.ownServerAddress(
                                p, s, new MockEnvironment().withProperty("grpc.server.port", "9092"), withoutNetDevh)
                        .getPort())
                .isEqualTo(9092);
    }

    @Test
    void learnersAreNotVoters() {
        RaftProperties p = threeNodes();
        p.setLearners(Set.of("n3"));
        ClusterSettings s = ClusterSettingsValidator.validate(p);
        assertThat(s.voters()).containsExactlyInAnyOrder("n1", "n2");
        assertThat(s.learners()).containsExactly("n3");
    }

    @Test
    void anEvenNumberOfVotersOnlyWarns() {
        RaftProperties p = threeNodes();
        p.getPeers().put("n4", "10.0.0.4:9094");
        assertThat(ClusterSettingsValidator.validate(p).voters()).hasSize(4);
    }

    @Test
    void theElectionTimeoutIsRoundedUpToWholeTicks() {
        RaftProperties p = threeNodes();
        p.setElectionTimeout(Duration.ofMillis(101));
        p.setHeartbeatInterval(Duration.ofMillis(50));
        assertThat(ClusterSettingsValidator.validate(p).electionTicks()).isEqualTo(11);
    }

    @Test
    void aValueLimitNotBelowTheMessageLimitIsRefused() {
        RaftProperties p = threeNodes();
        p.setMaxValueSize(org.springframework.util.unit.DataSize.ofMegabytes(32));
        assertThatThrownBy(() -> ClusterSettingsValidator.validate(p))
                .isInstanceOf(RaftConfigurationException.class)
                .hasMessageContaining("raft.max-value-size");
    }

    @Test
    void peerAddressesParseHostsAndIpv6Literals() {
        assertThat(PeerAddress.parse("broker-0.svc:9090")).isEqualTo(new PeerAddress("broker-0.svc", 9090));
        assertThat(PeerAddress.parse("[fe80::1]:80")).isEqualTo(new PeerAddress("fe80::1", 80));
        assertThatThrownBy(() -> PeerAddress.parse("fe80::1:80")).hasMessageContaining("[addr]:port");
        assertThatThrownBy(() -> PeerAddress.parse("host:0")).hasMessageContaining("outside 1..65535");
        assertThatThrownBy(() -> PeerAddress.parse("host:http")).hasMessageContaining("no numeric port");
    }
}
