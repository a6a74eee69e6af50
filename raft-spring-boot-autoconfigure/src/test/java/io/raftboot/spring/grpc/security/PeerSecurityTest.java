package io.raftboot.spring.grpc.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.raftboot.spring.autoconfigure.ClusterSettingsValidator;
import io.raftboot.spring.autoconfigure.RaftProperties;
import io.raftboot.spring.cluster.ClusterSettings;
import io.raftboot.spring.cluster.RaftConfigurationException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.ssl.PemSslBundleProperties;
import org.springframework.boot.autoconfigure.ssl.PropertiesSslBundle;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

/** Resolution of the transport security settings: warnings, misconfiguration, bundle reload. No network. */
@ExtendWith(OutputCaptureExtension.class)
class PeerSecurityTest {

    @TempDir
    Path dir;

    private ClusterSettings settings(String... peers) {
        RaftProperties p = new RaftProperties();
        p.setNodeId("n1");
        for (int i = 0; i < peers.length; i++) {
            p.getPeers().put("n" + (i + 1), peers[i]);
        }
        p.setDataDir(dir.resolve("data"));
        return ClusterSettingsValidator.validate(p);
    }

    private PeerSecurity resolve(
            RaftProperties p, ClusterSettings s, MockEnvironment env, DefaultSslBundleRegistry bundles) {
        return PeerSecurity.resolve(
                ClusterSettingsValidator.peerSecurity(p, env), s, () -> bundles, new RequestRefusals("n1"));
    }

    @Test
    void plaintextWithPeersOffLoopbackIsAStartupWarning(CapturedOutput output) {
        resolve(
                new RaftProperties(),
                settings("127.0.0.1:7001", "10.1.2.3:7002", "db-2.example.org:7003"),
                new MockEnvironment(),
                null);
        assertThat(output.getOut())
                .contains("WARN")
                .contains("not on loopback")
                .contains("n2=10.1.2.3:7002")
                .contains("n3=db-2.example.org:7003")
                .contains("raft.tls.bundle")
                .doesNotContain("n1=127.0.0.1");
    }

    @Test
    void plaintextOnLoopbackIsQuiet(CapturedOutput output) {
        resolve(
                new RaftProperties(),
                settings("127.0.0.1:7001", "localhost:7002", "[::1]:7003"),
                new MockEnvironment(),
                null);
        assertThat(output.getOut()).doesNotContain("not on loopback");
    }

    @Test
    void aSecretWithoutTlsOffLoopbackWarnsThatValuesTravelInClear(CapturedOutput output) {
        RaftProperties p = new RaftProperties();
        p.getAuth().setSecret("0123456789abcdef0123456789abcdef");
        PeerSecurity security =
                resolve(p, settings("127.0.0.1:7001", "10.1.2.3:7002", "10.1.2.4:7003"), new MockEnvironment(), null);
        assertThat(security.requiresSignature()).isTrue();
        assertThat(security.toString()).doesNotContain("0123456789abcdef");
        assertThat(output.getOut())
                .contains("authenticated by raft.auth.secret but travel unencrypted")
                .doesNotContain("0123456789abcdef");
    }

    @Test
    void aShortSecretIsRefusedWithoutShowingIt() {
        RaftProperties p = new RaftProperties();
        p.getAuth().setSecret("hunter2");
        assertThatThrownBy(() -> resolve(p, settings("127.0.0.1:7001"), new MockEnvironment(), null))
                .isInstanceOfSatisfying(RaftConfigurationException.class, e -> {
                    assertThat(e.property()).isEqualTo("raft.auth.secret");
                    assertThat(String.valueOf(e.value())).isEqualTo("******");
                    assertThat(e.getMessage()).doesNotContain("hunter2");
                });
    }

    @Test
    void serverTlsThroughNetDevhMustRequireClientCertificates() {
        TestPki pki = new TestPki(dir, "ca");
        DefaultSslBundleRegistry bundles = registry("raft", pki.issue("n1"), pki);
        RaftProperties p = new RaftProperties();
        p.getTls().setBundle("raft");
        MockEnvironment env = new MockEnvironment()
                .withProperty("grpc.server.security.enabled", "true")
                .withProperty("grpc.server.security.client-auth", "OPTIONAL");
        assertThatThrownBy(() -> resolve(p, settings("127.0.0.1:7001"), env, bundles))
                .isInstanceOfSatisfying(
                        RaftConfigurationException.class,
                        e -> assertThat(e.property()).isEqualTo("grpc.server.security.client-auth"));
    }

    @Test
    void aReloadedBundleIsUsedForNewConnections(CapturedOutput output) throws Exception {
        // The reload is logged at INFO; a test context run earlier in this JVM may have left
        // io.raftboot at WARN (logging.level), so the order of test classes must not decide.
        Logger logger = (Logger) LoggerFactory.getLogger(PeerTls.class);
        Level previous = logger.getLevel();
        logger.setLevel(Level.INFO);
        try {
            reloadedBundleIsUsedForNewConnections(output);
        } finally {
            logger.setLevel(previous);
        }
    }

    private void reloadedBundleIsUsedForNewConnections(CapturedOutput output) throws Exception {
        TestPki pki = new TestPki(dir, "ca");
        TestPki.Issued first = pki.issue("n1");
        DefaultSslBundleRegistry bundles = registry("raft", first, pki);
        RaftProperties p = new RaftProperties();
        p.getTls().setBundle("raft");
        PeerSecurity security =
                resolve(p, settings("127.0.0.1:7001", "127.0.0.1:7002"), new MockEnvironment(), bundles);
        assertThat(security.requiresCertificate()).isTrue();
        ReloadingKeyManager keys = new ReloadingKeyManager(() -> currentKeyManager(security));
        assertThat(keys.getCertificateChain(alias(keys))[0]).isEqualTo(first.certificate());

        TestPki.Issued second = pki.issue("n1");
        bundles.updateBundle("raft", bundle(second, pki));
        assertThat(keys.getCertificateChain(alias(keys))[0]).isEqualTo(second.certificate());
        assertThat(output.getOut()).contains("SSL bundle 'raft' reloaded");
    }

    private static javax.net.ssl.X509ExtendedKeyManager currentKeyManager(PeerSecurity security) {
        try {
            java.lang.reflect.Field f = PeerTls.class.getDeclaredField("keyManager");
            f.setAccessible(true);
            return (javax.net.ssl.X509ExtendedKeyManager) f.get(security.tls());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String alias(ReloadingKeyManager keys) {
        String[] aliases = keys.getServerAliases("EC", null);
        assertThat(aliases).isNotEmpty();
        return aliases[0];
    }

    private static DefaultSslBundleRegistry registry(String name, TestPki.Issued cert, TestPki pki) {
        DefaultSslBundleRegistry registry = new DefaultSslBundleRegistry();
        registry.registerBundle(name, bundle(cert, pki));
        return registry;
    }

    private static SslBundle bundle(TestPki.Issued cert, TestPki pki) {
        PemSslBundleProperties props = new PemSslBundleProperties();
        props.getKeystore().setCertificate("file:" + cert.certificateFile());
        props.getKeystore().setPrivateKey("file:" + cert.keyFile());
        props.getTruststore().setCertificate("file:" + pki.caCertificate());
        return PropertiesSslBundle.get(props);
    }
}
