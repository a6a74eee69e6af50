package io.raftboot.spring.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftboot.spring.autoconfigure.RaftProperties;
import io.raftboot.spring.cluster.RaftConfigurationException;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.mock.env.MockEnvironment;

/** The seed's environment variables (BROKER_ID, NODE_ADDRESS, CLUSTER, K8S + HOSTNAME) map onto raft.*. */
class SeedEnvironmentTest {

    private final RaftEnvironmentPostProcessor processor = new RaftEnvironmentPostProcessor(Supplier::get);

    private RaftProperties process(MockEnvironment env) {
        processor.postProcessEnvironment(env, null);
        return Binder.get(env).bind("raft", RaftProperties.class).orElseGet(RaftProperties::new);
    }

    @Test
    void brokerIdAndClusterBecomeNodeIdAndPeers() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("BROKER_ID", "2")
                .withProperty("CLUSTER", "1=10.0.0.1:9090, 2=10.0.0.2:9090,3=10.0.0.3:9090");
        RaftProperties p = process(env);
        assertThat(p.getNodeId()).isEqualTo("2");
        assertThat(p.getPeers())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("1", "10.0.0.1:9090", "2", "10.0.0.2:9090", "3", "10.0.0.3:9090"));
        assertThat(env.getProperty("grpc.server.port")).isEqualTo("9090");
    }

    @Test
    void nodeAddressIsThisNodesOwnEntryAndSetsTheGrpcPort() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("BROKER_ID", "2")
                .withProperty("CLUSTER", "1=10.0.0.1:9090,3=10.0.0.3:9090")
                .withProperty("NODE_ADDRESS", "10.0.0.2:7000");
        RaftProperties p = process(env);
        assertThat(p.getPeers()).containsEntry("2", "10.0.0.2:7000").hasSize(3);
        assertThat(env.getProperty("grpc.server.port")).isEqualTo("7000");
    }

    @Test
    void explicitRaftPropertiesWinOverTheSeedEnvironment() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("BROKER_ID", "2")
                .withProperty("CLUSTER", "1=h1:1,2=h2:2")
                .withProperty("raft.node-id", "a")
                .withProperty("raft.peers.a", "ha:5000")
                .withProperty("raft.peers.b", "hb:5001")
                .withProperty("grpc.server.port", "6000");
        RaftProperties p = process(env);
        assertThat(p.getNodeId()).isEqualTo("a");
        assertThat(p.getPeers()).containsOnlyKeys("a", "b");
        assertThat(env.getProperty("grpc.server.port")).isEqualTo("6000");
    }

    @Test
    void theGrpcPortDefaultsFromThisNodesEntryInRaftPeers() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("raft.node-id", "b")
                .withProperty("raft.peers.a", "h:5000")
                .withProperty("raft.peers.b", "h:5001")
                .withProperty("raft.max-message-size", "4MB");
        process(env);
        assertThat(env.getProperty("grpc.server.port")).isEqualTo("5001");
        assertThat(env.getProperty("grpc.server.max-inbound-message-size")).isEqualTo("4MB");
    }

    @Test
    void kubernetesModeTakesTheOrdinalAndBuildsStatefulSetDnsNames() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("K8S", "true")
                .withProperty("HOSTNAME", "broker-2")
                .withProperty("raft.kubernetes.service", "brokers")
                .withProperty("raft.kubernetes.namespace", "prod")
                .withProperty("raft.kubernetes.replicas", "5")
                .withProperty("raft.kubernetes.port", "7070");
        RaftProperties p = process(env);
        assertThat(p.getNodeId()).isEqualTo("2");
        assertThat(p.getPeers())
                .hasSize(5)
                .containsEntry("0", "broker-0.brokers.prod.svc.cluster.local:7070")
                .containsEntry("4", "broker-4.brokers.prod.svc.cluster.local:7070");
        assertThat(env.getProperty("grpc.server.port")).isEqualTo("7070");
    }

    @Test
    void aPodBeyondTheBootstrapReplicasStartsAsALearnerOfTheBootstrapMembers() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("K8S", "true")
                .withProperty("HOSTNAME", "my-app-3")
                .withProperty("POD_NAMESPACE", "team");
        RaftProperties p = process(env);
        assertThat(p.getNodeId()).isEqualTo("3");
        assertThat(p.getPeers())
                .hasSize(4)
                .containsEntry("0", "my-app-0.my-app.team.svc.cluster.local:9090")
                .containsEntry("3", "my-app-3.my-app.team.svc.cluster.local:9090");
        assertThat(p.getLearners()).containsExactly("3");
    }

    @Test
    void kubernetesModeDefaultsServiceToTheSetNameAndNamespaceToPodNamespace() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("K8S", "TRUE")
                .withProperty("HOSTNAME", "my-app-0")
                .withProperty("POD_NAMESPACE", "team");
        RaftProperties p = process(env);
        assertThat(p.getNodeId()).isEqualTo("0");
        assertThat(p.getPeers())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "0", "my-app-0.my-app.team.svc.cluster.local:9090",
                        "1", "my-app-1.my-app.team.svc.cluster.local:9090",
                        "2", "my-app-2.my-app.team.svc.cluster.local:9090"));
    }

    @Test
    void kubernetesModeNeedsAStatefulSetPodName() {
        MockEnvironment env = new MockEnvironment().withProperty("K8S", "true").withProperty("HOSTNAME", "laptop");
        assertThatThrownBy(() -> process(env))
                .isInstanceOf(RaftConfigurationException.class)
                .hasMessageContaining("HOSTNAME")
                .hasMessageContaining("<name>-<ordinal>");
    }

    @Test
    void aMalformedClusterVariableIsReportedWithItsName() {
        MockEnvironment env = new MockEnvironment().withProperty("CLUSTER", "1=h:1,2");
        assertThatThrownBy(() -> process(env))
                .isInstanceOf(RaftConfigurationException.class)
                .hasMessageContaining("CLUSTER")
                .hasMessageContaining("<id>=<host>:<port>");
        MockEnvironment twice = new MockEnvironment().withProperty("CLUSTER", "1=h:1,1=h:2");
        assertThatThrownBy(() -> process(twice)).hasMessageContaining("duplicate ids");
    }

    @Test
    void nothingIsMappedWhenRaftIsDisabled() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("raft.enabled", "false")
                .withProperty("BROKER_ID", "1")
                .withProperty("CLUSTER", "1=h:1");
        process(env);
        assertThat(env.getProperty("raft.node-id")).isNull();
        assertThat(env.getProperty("grpc.server.port")).isNull();
    }

    @Test
    void theSeedPropertiesHaveTheLowestPrecedence() {
        MockEnvironment env =
                new MockEnvironment().withProperty("BROKER_ID", "1").withProperty("CLUSTER", "1=h:1");
        process(env);
        var sources = env.getPropertySources().stream().map(s -> s.getName()).toList();
        assertThat(sources)
                .endsWith(RaftEnvironmentPostProcessor.SEED_SOURCE, RaftEnvironmentPostProcessor.DEFAULTS_SOURCE);
    }

    @Test
    void theProcessorIsRegistered() {
        assertThat(org.springframework.core.io.support.SpringFactoriesLoader.loadFactoryNames(
                        org.springframework.boot.env.EnvironmentPostProcessor.class,
                        getClass().getClassLoader()))
                .contains(RaftEnvironmentPostProcessor.class.getName());
    }

    static DeferredLogFactory logs() {
        return Supplier::get;
    }
}
