package io.raftboot.spring.grpc.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import io.raftboot.proto.HBeat;
import io.raftboot.proto.RaftGrpc;
import io.raftboot.spring.actuator.RaftEndpoint;
import io.raftboot.spring.autoconfigure.RaftActuatorAutoConfiguration;
import io.raftboot.spring.autoconfigure.RaftAutoConfiguration;
import io.raftboot.spring.autoconfigure.RaftProperties;
import io.raftboot.spring.cluster.ClusterSettings;
import io.raftboot.spring.cluster.RaftConfigurationFailureAnalyzer;
import io.raftboot.testsupport.process.FreePorts;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.autoconfigure.context.properties.ConfigurationPropertiesReportEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.env.EnvironmentEndpointAutoConfiguration;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The shared secret ({@code raft.auth.secret}) and the SSL bundle's passwords appear nowhere a
 * user or an operator can see them: not in the log (with the starter's loggers at TRACE), not in
 * {@code /actuator/raft}, {@code /actuator/env} or {@code /actuator/configprops} (Spring Boot 3
 * shows no values there unless {@code show-values} is changed), not in a {@code toString()}, not
 * in a startup failure or its failure analysis, and not in a refusal of a request signed with
 * another secret.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsNeverShownTest {

    private static final String SECRET = "Sup3r-Secret-Of-The-Replicas-7f3a9c";
    private static final String SHORT_SECRET = "Sh0rt-s3cr3t-15";
    private static final String STORE_PASSWORD = "Keystore-Pa55word-4b1e";
    private static final String KEY_PASSWORD = "PrivateKey-Pa55word-9d2c";
    private static final String TRUST_PASSWORD = "Truststore-Pa55word-0a7f";
    private static final String[] SECRETS = {SECRET, SHORT_SECRET, STORE_PASSWORD, KEY_PASSWORD, TRUST_PASSWORD};

    @TempDir
    Path dir;

    private Level previousLevel;

    @BeforeEach
    void starterLogsAtTrace() {
        Logger logger = (Logger) LoggerFactory.getLogger("io.raftboot");
        previousLevel = logger.getLevel();
        logger.setLevel(Level.TRACE);
    }

    @AfterEach
    void restoreLogLevel() {
        ((Logger) LoggerFactory.getLogger("io.raftboot")).setLevel(previousLevel);
    }

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        RaftAutoConfiguration.class,
                        RaftActuatorAutoConfiguration.class,
                        SslAutoConfiguration.class,
                        EndpointAutoConfiguration.class,
                        EnvironmentEndpointAutoConfiguration.class,
                        ConfigurationPropertiesReportEndpointAutoConfiguration.class))
                .withPropertyValues(
                        "raft.node-id=n1",
                        "raft.cluster-id=secrets",
                        "raft.peers.n1=127.0.0.1:" + FreePorts.any(),
                        // a peer off loopback, so the startup's transport security warnings run too
                        "raft.peers.n2=10.255.255.1:7002",
                        "raft.peers.n3=10.255.255.2:7003",
                        "raft.data-dir=" + dir.resolve("n1-" + System.nanoTime()),
                        "management.endpoints.web.exposure.include=raft,env,configprops");
    }

    @Test
    void aNodeWithASecretAndAPasswordProtectedBundleShowsThemNowhere(CapturedOutput output) throws Exception {
        runner().withPropertyValues(bundle().toArray(String[]::new))
                .withPropertyValues("raft.auth.secret=" + SECRET, "raft.tls.bundle=raft")
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx.getBean(PeerSecurity.class).tls())
                            .as("TLS from the bundle")
                            .isNotNull();
                    assertThat(ctx.getBean(PeerSecurity.class).requiresSignature())
                            .isTrue();
                    ObjectMapper json = new ObjectMapper().findAndRegisterModules();

                    String raft = json.writeValueAsString(
                            ctx.getBean(RaftEndpoint.class).status());
                    String env = json.writeValueAsString(
                            ctx.getBean(EnvironmentEndpoint.class).environment(null));
                    String envEntry = json.writeValueAsString(
                            ctx.getBean(EnvironmentEndpoint.class).environmentEntry("raft.auth.secret"));
                    String configprops =
                            json.writeValueAsString(ctx.getBean(ConfigurationPropertiesReportEndpoint.class)
                                    .configurationProperties());

                    assertThat(raft).contains("\"nodeId\":\"n1\"");
                    assertThat(env)
                            .contains("raft.auth.secret")
                            .contains("spring.ssl.bundle.jks.raft.keystore.password");
                    assertThat(configprops).contains("\"secret\"");
                    for (String shown : List.of(
                            raft,
                            env,
                            envEntry,
                            configprops,
                            ctx.getBean(RaftProperties.class).toString(),
                            ctx.getBean(PeerSecurity.class).toString(),
                            ctx.getBean(ClusterSettings.class).toString())) {
                        assertNoSecretIn(shown);
                    }
                });
        assertThat(output.getAll()).contains("use mutual TLS (SSL bundle 'raft'");
        assertNoSecretIn(output.getAll());
    }

    @Test
    void aSecretWithoutTlsOffLoopbackWarnsWithoutShowingTheSecret(CapturedOutput output) {
        runner().withPropertyValues("raft.auth.secret=" + SECRET)
                .run(ctx -> assertThat(ctx).hasNotFailed());
        assertThat(output.getAll()).contains("WARN").contains("raft.auth.secret but travel unencrypted");
        assertNoSecretIn(output.getAll());
    }

    @Test
    void aTooShortSecretStopsTheStartWithAReportThatDoesNotShowIt(CapturedOutput output) {
        runner().withPropertyValues("raft.auth.secret=" + SHORT_SECRET).run(ctx -> {
            assertThat(ctx).hasFailed();
            Throwable failure = ctx.getStartupFailure();
            FailureAnalysis analysis = new RaftConfigurationFailureAnalyzer().analyze(failure);
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription())
                    .contains("raft.auth.secret")
                    .contains("******")
                    .contains("shorter than 16");
            assertNoSecretIn(analysis.getDescription());
            assertNoSecretIn(analysis.getAction());
            assertNoSecretIn(everythingIn(failure));
        });
        assertNoSecretIn(output.getAll());
    }

    @Test
    void aWrongKeystorePasswordStopsTheStartWithoutShowingAnyPassword(CapturedOutput output) {
        List<String> wrong = new ArrayList<>(bundle());
        wrong.replaceAll(p -> p.startsWith("spring.ssl.bundle.jks.raft.keystore.password=")
                ? "spring.ssl.bundle.jks.raft.keystore.password=" + TRUST_PASSWORD
                : p);
        runner().withPropertyValues(wrong.toArray(String[]::new))
                .withPropertyValues("raft.auth.secret=" + SECRET, "raft.tls.bundle=raft")
                .run(ctx -> {
                    assertThat(ctx).hasFailed();
                    assertNoSecretIn(everythingIn(ctx.getStartupFailure()));
                });
        assertNoSecretIn(output.getAll());
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void aRequestSignedWithAnotherSecretIsRefusedAndLoggedWithoutEitherSecret(CapturedOutput output) {
        String otherSecret = "Another-Cluster's-Secret-5e8d1b";
        RequestRefusals refusals = new RequestRefusals("n1");
        SignatureVerifyingInterceptor verifier = new SignatureVerifyingInterceptor(
                new SharedSecret(SECRET), "secrets", "n1", Duration.ofSeconds(30), 1000, refusals);
        MethodDescriptor<HBeat, ?> method = RaftGrpc.getHeartbeatMethod();
        HBeat request = HBeat.newBuilder().setTerm(2).setClusterId("secrets").build();
        Metadata headers =
                SignedHeaders.sign(otherSecret, method, "secrets", "n2", "n1", System.currentTimeMillis(), request);
        ServerCall call = mock(ServerCall.class);
        when(call.getMethodDescriptor()).thenReturn(method);
        when(call.getAttributes()).thenReturn(Attributes.EMPTY);
        ServerCallHandler next = mock(ServerCallHandler.class);
        when(next.startCall(any(), any())).thenReturn(new ServerCall.Listener<>() {});

        ServerCall.Listener<InputStream> listener = verifier.interceptCall(call, headers, next);
        listener.onMessage(new ByteArrayInputStream(request.toByteArray()));

        ArgumentCaptor<Status> status = ArgumentCaptor.forClass(Status.class);
        verify(call).close(status.capture(), any());
        assertThat(status.getValue().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(status.getValue().getDescription()).contains("does not verify");
        assertThat(refusals.count(RefusalReason.BAD_SIGNATURE)).isEqualTo(1);
        assertThat(output.getAll()).contains("[bad-signature]");
        for (String shown : List.of(status.getValue().toString(), output.getAll())) {
            assertNoSecretIn(shown);
            assertThat(shown).doesNotContain(otherSecret);
        }
    }

    private static void assertNoSecretIn(String shown) {
        for (String secret : SECRETS) {
            assertThat(shown).as("text that must not show '%s'", secret).doesNotContain(secret);
        }
    }

    /** Every message, toString and stack trace line of a failure and its causes. */
    private static String everythingIn(Throwable failure) {
        StringWriter out = new StringWriter();
        failure.printStackTrace(new PrintWriter(out));
        for (Throwable t = failure; t != null; t = t.getCause()) {
            out.append('\n').append(String.valueOf(t.getMessage())).append('\n').append(t.toString());
        }
        return out.toString();
    }

    /** A JKS-style SSL bundle (PKCS12 files) whose keystore, key and truststore have passwords. */
    private List<String> bundle() {
        try {
            TestPki pki = new TestPki(dir, "ca");
            TestPki.Issued n1 = pki.issue("n1");
            Path keystore = dir.resolve("n1.p12");
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry(
                    "n1", privateKey(n1.keyFile()), KEY_PASSWORD.toCharArray(), new Certificate[] {n1.certificate()});
            store(keys, keystore, STORE_PASSWORD);
            Path truststore = dir.resolve("trust.p12");
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry(
                    "ca",
                    java.security.cert.CertificateFactory.getInstance("X.509")
                            .generateCertificate(Files.newInputStream(pki.caCertificate())));
            store(trust, truststore, TRUST_PASSWORD);
            String p = "spring.ssl.bundle.jks.raft.";
            return List.of(
                    p + "keystore.location=file:" + keystore,
                    p + "keystore.type=PKCS12",
                    p + "keystore.password=" + STORE_PASSWORD,
                    p + "key.password=" + KEY_PASSWORD,
                    p + "truststore.location=file:" + truststore,
                    p + "truststore.type=PKCS12",
                    p + "truststore.password=" + TRUST_PASSWORD);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrivateKey privateKey(Path pem) throws Exception {
        String body = Files.readString(pem, StandardCharsets.US_ASCII)
                .replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    private static void store(KeyStore store, Path file, String password) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
    }
}
