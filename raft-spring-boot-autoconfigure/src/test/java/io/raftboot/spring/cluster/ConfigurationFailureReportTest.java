package io.raftboot.spring.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftboot.spring.autoconfigure.RaftAutoConfiguration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

/**
 * A real SpringApplication started with malformed seed variables or raft.* values stops with
 * Spring Boot's "APPLICATION FAILED TO START" report naming the setting, not with a stack trace;
 * a secret is never echoed.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfigurationFailureReportTest {

    @TempDir
    Path data;

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({RaftAutoConfiguration.class, SslAutoConfiguration.class})
    static class App {}

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "CLUSTER=1=127.0.0.1:7001,1=127.0.0.1:7002 | Property: CLUSTER | listed twice",
                "CLUSTER=1=127.0.0.1:7001,=127.0.0.1:7002 | Property: CLUSTER | is not <id>=<host>:<port>",
                "CLUSTER=1=127.0.0.1:70000,2=127.0.0.1:7002 | Property: CLUSTER | outside 1..65535",
                "CLUSTER=1=127.0.0.1:port | Property: CLUSTER | no numeric port",
                "NODE_ADDRESS=127.0.0.1 | Property: NODE_ADDRESS | not host:port",
                "K8S=true | Property: HOSTNAME | StatefulSet",
                "raft.election-timeout=banana | raft.election-timeout | Duration",
                "raft.max-message-size=lots | raft.max-message-size | DataSize",
                "raft.tls.identity=fingerprint | raft.tls.identity | TlsIdentity",
                "raft.tls.bundle=nowhere | Property: raft.tls.bundle | no SSL bundle",
                "grpc.server.security.enabled=true | Property: raft.tls.bundle | peer channels",
                "raft.auth.secret=short-Secret | Property: raft.auth.secret | shorter than 16",
                "raft.auth.secret=a-long-enough-secret-value;raft.auth.replay-window=0s | Property: raft.auth.replay-window | positive",
                "K8S=true;HOSTNAME=broker-99999999999 | Property: HOSTNAME | not a plausible pod ordinal",
                "raft.peers.1=127.0.0.1:0 | Property: raft.peers.1 | outside 1..65535",
            })
    void aMalformedSettingEndsInAFailureReportNamingIt(
            String setting, String names, String says, CapturedOutput output) {
        List<String> props =
                new ArrayList<>(List.of("raft.data-dir=" + data, "spring.main.banner-mode=off", "BROKER_ID=1"));
        if (!setting.startsWith("CLUSTER") && !setting.startsWith("raft.peers") && !setting.startsWith("K8S")) {
            props.add("CLUSTER=1=127.0.0.1:7001");
        }
        if (setting.startsWith("raft.peers")) {
            props.add("raft.node-id=1");
        }
        props.addAll(List.of(setting.split(";")));
        try {
            new SpringApplicationBuilder(App.class)
                    .web(WebApplicationType.NONE)
                    .properties(props.toArray(String[]::new))
                    .run()
                    .close();
        } catch (RuntimeException expected) {
            // the report is what matters
        }
        assertThat(output.getOut() + output.getErr())
                .contains("APPLICATION FAILED TO START")
                .contains(names)
                .contains(says)
                .doesNotContain("Application run failed")
                .doesNotContain("short-Secret");
    }
}
