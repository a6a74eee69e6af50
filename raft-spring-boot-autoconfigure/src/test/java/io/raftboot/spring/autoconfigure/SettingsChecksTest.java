package io.raftboot.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftboot.spring.cluster.RaftConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mock.env.MockEnvironment;

/**
 * The checks that used to sit in {@code @Bean} methods and in {@code PeerSecurity} are the
 * validator's now: {@link ClusterSettingsValidator} alone refuses each bad setting, and a context
 * started with it fails with the very same report. A check moved back into a bean method fails the
 * first half.
 */
class SettingsChecksTest {

    private static final String SECRET = "a-long-enough-secret-value";

    @TempDir
    Path data;

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "raft.max-config-keys=-1 | raft.max-config-keys | must not be negative",
                "raft.max-pending-requests=15 | raft.max-pending-requests | at least 16 waiting inputs",
                "raft.auth.secret=hunter2 | raft.auth.secret | shorter than 16 characters",
                "raft.auth.secret=" + SECRET
                        + ";raft.auth.replay-window=0s | raft.auth.replay-window | must be positive",
                "raft.auth.secret=" + SECRET
                        + ";raft.auth.max-nonces=999 | raft.auth.max-nonces | at least 1000 nonces",
                "grpc.server.security.enabled=true | raft.tls.bundle | peer channels have no TLS settings",
                "raft.tls.bundle=raft;grpc.server.security.enabled=true;grpc.server.security.client-auth=OPTIONAL"
                        + " | grpc.server.security.client-auth | must require client certificates",
                "raft.membership.auto-join=true | raft.membership.auto-join | nothing proves who asks",
            })
    void aBadSettingIsRefusedByTheValidatorAloneAndStopsTheStartWithTheSameReport(
            String setting, String property, String problem) {
        List<String> values = new ArrayList<>(List.of(
                "raft.node-id=n1", "raft.peers.n1=127.0.0.1:" + freePort(), "raft.data-dir=" + data.resolve("n1")));
        values.addAll(List.of(setting.split(";")));

        RaftConfigurationException refused = validate(values);
        assertThat(refused)
                .as("ClusterSettingsValidator alone refuses %s", setting)
                .isNotNull();
        assertThat(refused.property()).isEqualTo(property);
        assertThat(refused.problem()).contains(problem);
        assertThat(refused.getMessage()).doesNotContain("hunter2");

        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RaftAutoConfiguration.class))
                .withPropertyValues(values.toArray(String[]::new))
                .run(ctx -> {
                    assertThat(ctx).hasFailed();
                    assertThat(ctx.getStartupFailure())
                            .rootCause()
                            .isInstanceOf(RaftConfigurationException.class)
                            .hasMessage(refused.getMessage());
                });
    }

    /** What the validator says of these settings, bound as Spring Boot binds them; {@code null} if it accepts them. */
    private static RaftConfigurationException validate(List<String> values) {
        MockEnvironment env = new MockEnvironment();
        for (String value : values) {
            int eq = value.indexOf('=');
            env.setProperty(value.substring(0, eq), value.substring(eq + 1));
        }
        RaftProperties properties =
                Binder.get(env).bind("raft", RaftProperties.class).orElseGet(RaftProperties::new);
        try {
            ClusterSettingsValidator.validate(properties);
            ClusterSettingsValidator.peerSecurity(properties, env);
            return null;
        } catch (RaftConfigurationException e) {
            return e;
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
