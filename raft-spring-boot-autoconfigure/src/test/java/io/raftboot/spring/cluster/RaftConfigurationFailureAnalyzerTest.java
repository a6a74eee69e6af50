package io.raftboot.spring.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftboot.spring.autoconfigure.RaftAutoConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

/** Misconfiguration fails at startup with a report naming the property and the fix. */
@ExtendWith(OutputCaptureExtension.class)
class RaftConfigurationFailureAnalyzerTest {

    @TempDir
    Path data;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RaftAutoConfiguration.class))
                .withPropertyValues("raft.data-dir=" + data.resolve("d"));
    }

    private FailureAnalysis analysisOf(String... properties) {
        FailureAnalysis[] analysis = new FailureAnalysis[1];
        runner().withPropertyValues(properties).run(ctx -> {
            assertThat(ctx).hasFailed();
            analysis[0] = new RaftConfigurationFailureAnalyzer().analyze(ctx.getStartupFailure());
        });
        assertThat(analysis[0]).as("a Raft failure analysis").isNotNull();
        return analysis[0];
    }

    @Test
    void aMissingNodeIdNamesRaftNodeIdAndTheKnownIds() {
        FailureAnalysis a =
                analysisOf("raft.peers.a=10.0.0.1:9090", "raft.peers.b=10.0.0.2:9090", "raft.peers.c=10.0.0.3:9090");
        assertThat(a.getDescription()).contains("Property: raft.node-id").contains("not set");
        assertThat(a.getAction())
                .contains("Set raft.node-id")
                .contains("[a, b, c]")
                .contains("BROKER_ID");
    }

    @Test
    void aNodeIdAbsentFromPeersSaysToAddIt() {
        FailureAnalysis a = analysisOf(
                "raft.node-id=d",
                "raft.peers.a=10.0.0.1:9090",
                "raft.peers.b=10.0.0.2:9090",
                "raft.peers.c=10.0.0.3:9090");
        assertThat(a.getDescription())
                .contains("raft.node-id")
                .contains("Value: d")
                .contains("not one of raft.peers");
        assertThat(a.getAction()).contains("raft.peers.d=host:port");
    }

    @Test
    void noPeersAtAllSaysHowToListThem() {
        FailureAnalysis a = analysisOf("raft.node-id=a");
        assertThat(a.getDescription()).contains("Property: raft.peers");
        assertThat(a.getAction()).contains("raft.peers.<id>=host:port").contains("CLUSTER=");
    }

    @Test
    void duplicateAddressesAreRefused() {
        FailureAnalysis a = analysisOf(
                "raft.node-id=a",
                "raft.peers.a=10.0.0.1:9090",
                "raft.peers.b=10.0.0.1:9090",
                "raft.peers.c=10.0.0.3:9090");
        assertThat(a.getDescription())
                .contains("raft.peers")
                .contains("duplicate addresses")
                .contains("10.0.0.1:9090");
        assertThat(a.getAction()).contains("its own host:port");
    }

    @Test
    void idsDifferingOnlyInCaseAreDuplicates() {
        FailureAnalysis a = analysisOf(
                "raft.node-id=a",
                "raft.peers.a=10.0.0.1:9090",
                "raft.peers.A=10.0.0.2:9090",
                "raft.peers.c=10.0.0.3:9090");
        assertThat(a.getDescription()).contains("duplicate ids");
    }

    @Test
    void anAddressWithoutPortNamesThatPeer() {
        FailureAnalysis a = analysisOf(
                "raft.node-id=a", "raft.peers.a=10.0.0.1", "raft.peers.b=10.0.0.2:9090", "raft.peers.c=10.0.0.3:9090");
        assertThat(a.getDescription()).contains("Property: raft.peers.a").contains("not host:port");
    }

    @Test
    void anElectionTimeoutNotAboveTwiceTheHeartbeatIsRefused() {
        FailureAnalysis a = analysisOf(
                "raft.node-id=a",
                "raft.peers.a=10.0.0.1:9090",
                "raft.election-timeout=100ms",
                "raft.heartbeat-interval=50ms");
        assertThat(a.getDescription())
                .contains("Property: raft.election-timeout")
                .contains("more than twice the heartbeat interval");
        assertThat(a.getAction()).contains("above 100ms");
    }

    @Test
    void aNonPositiveDurationIsRefused() {
        FailureAnalysis a = analysisOf("raft.node-id=a", "raft.peers.a=10.0.0.1:9090", "raft.write-timeout=0s");
        assertThat(a.getDescription()).contains("Property: raft.write-timeout").contains("must be positive");
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedIsRefused() throws Exception {
        Path file = Files.writeString(data.resolve("a-file"), "not a directory");
        FailureAnalysis a =
                analysisOf("raft.node-id=a", "raft.peers.a=10.0.0.1:9090", "raft.data-dir=" + file.resolve("sub"));
        assertThat(a.getDescription()).contains("Property: raft.data-dir").contains("cannot be created");
        assertThat(a.getAction()).contains("raft.data-dir");
    }

    @Test
    void aLearnerOutsideThePeersIsRefused() {
        FailureAnalysis a = analysisOf("raft.node-id=a", "raft.peers.a=10.0.0.1:9090", "raft.learners=z");
        assertThat(a.getDescription()).contains("Property: raft.learners").contains("'z'");
    }

    @Configuration(proxyBeanMethods = false)
    @org.springframework.boot.autoconfigure.ImportAutoConfiguration(RaftAutoConfiguration.class)
    static class App {}

    @Test
    void theAnalyzerIsRegisteredSoSpringBootPrintsTheReport(CapturedOutput output) {
        try {
            new SpringApplicationBuilder(App.class)
                    .web(WebApplicationType.NONE)
                    .properties(
                            "raft.data-dir=" + data.resolve("e"),
                            "raft.peers.a=10.0.0.1:9090",
                            "spring.main.banner-mode=off")
                    .run();
        } catch (RuntimeException expected) {
            // reported below
        }
        assertThat(output)
                .contains("APPLICATION FAILED TO START")
                .contains("Property: raft.node-id")
                .contains("Set raft.node-id to this replica's key in raft.peers");
    }
}
