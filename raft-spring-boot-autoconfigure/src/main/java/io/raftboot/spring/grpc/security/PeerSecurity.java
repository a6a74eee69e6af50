package io.raftboot.spring.grpc.security;

import io.grpc.ClientInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.raftboot.spring.autoconfigure.RaftProperties;
import io.raftboot.spring.cluster.ClusterSettings;
import io.raftboot.spring.cluster.PeerAddress;
import io.raftboot.spring.cluster.RaftConfigurationException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.env.Environment;

/**
 * How this node's Raft traffic is protected, resolved and checked at startup from raft.tls.*,
 * raft.auth.* and grpc.server.security.*: mutual TLS from an SSL bundle, a shared secret, both,
 * or neither (plaintext: the default, with a warning when a peer is not on loopback). Applies
 * itself to the server's service definition ({@link #protect}) and to each peer channel
 * ({@link #tls()}, {@link #clientInterceptor}). See docs/security.md.
 */
public final class PeerSecurity {

    private static final Logger LOG = LoggerFactory.getLogger(PeerSecurity.class);
    /** Shortest raft.auth.secret accepted. */
    static final int MIN_SECRET_CHARS = 16;
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("^127(\\.\\d{1,3}){3}$");

    private final ClusterSettings settings;
    private final PeerTls tls;
    private final SharedSecret secret;
    private final TlsIdentity identity;
    private final boolean requireCertificate;
    private final SignatureVerifyingInterceptor verifier;
    private final RequestRefusals refusals;

    private PeerSecurity(ClusterSettings settings, PeerTls tls, SharedSecret secret, TlsIdentity identity,
                         boolean requireCertificate, SignatureVerifyingInterceptor verifier, RequestRefusals refusals) {
        this.settings = settings;
        this.refusals = refusals;
        this.tls = tls;
        this.secret = secret;
        this.identity = identity;
        this.requireCertificate = requireCertificate;
        this.verifier = verifier;
    }

    /** Plaintext, no secret (tests, and the default). */
    public static PeerSecurity plaintext(ClusterSettings settings) {
        return new PeerSecurity(settings, null, null, TlsIdentity.CN, false, null, new RequestRefusals(settings.nodeId()));
    }

    /**
     * Resolves and checks the settings; a misconfiguration is a {@link RaftConfigurationException}
     * (never showing the secret).
     *
     * @param bundles Spring Boot's SSL bundles, needed only with raft.tls.bundle
     */
    public static PeerSecurity resolve(RaftProperties properties, ClusterSettings settings, Environment environment,
                                       Supplier<SslBundles> bundles, RequestRefusals refusals) {
        RaftProperties.Tls tlsProperties = properties.getTls();
        RaftProperties.Auth auth = properties.getAuth();
        TlsIdentity identity = tlsProperties.getIdentity() == null ? TlsIdentity.CN : tlsProperties.getIdentity();
        boolean serverSecurity = environment.getProperty("grpc.server.security.enabled", Boolean.class, false);
        String clientAuth = environment.getProperty("grpc.server.security.client-auth", "NONE").trim().toUpperCase(Locale.ROOT);

        PeerTls tls = null;
        if (tlsProperties.isEnabled()) {
            SslBundles available = bundles.get();
            if (available == null) {
                throw new RaftConfigurationException("raft.tls.bundle", tlsProperties.getBundle(), "Spring Boot's SSL bundles are not available",
                        "Keep spring-boot-autoconfigure's SslAutoConfiguration enabled, or remove raft.tls.bundle");
            }
            tls = new PeerTls(available, tlsProperties.getBundle().trim(), identity, refusals);
            if (serverSecurity && !"REQUIRE".equals(clientAuth)) {
                throw new RaftConfigurationException("grpc.server.security.client-auth", clientAuth,
                        "with raft.tls.bundle the gRPC server must require client certificates, or peers are not authenticated",
                        "Set grpc.server.security.client-auth=REQUIRE, or remove grpc.server.security.* to let raft.tls.bundle configure the server");
            }
        } else if (serverSecurity) {
            throw new RaftConfigurationException("raft.tls.bundle", null,
                    "grpc.server.security.enabled=true makes the gRPC server speak TLS, but the peer channels have no TLS settings and could not connect",
                    "Set raft.tls.bundle to an SSL bundle (spring.ssl.bundle.pem.<name>.*) holding this node's certificate and the cluster's CA");
        }

        SharedSecret secret = null;
        SignatureVerifyingInterceptor verifier = null;
        if (auth.isEnabled()) {
            if (auth.getSecret().length() < MIN_SECRET_CHARS) {
                throw new RaftConfigurationException("raft.auth.secret", "******", "the shared secret is shorter than " + MIN_SECRET_CHARS + " characters",
                        "Set raft.auth.secret to at least 32 random characters (for example: openssl rand -base64 32), the same on every replica");
            }
            Duration window = auth.getReplayWindow();
            if (window == null || window.isNegative() || window.isZero()) {
                throw new RaftConfigurationException("raft.auth.replay-window", window, "the replay window must be positive",
                        "Set raft.auth.replay-window to a duration such as 30s (more than the replicas' clock skew)");
            }
            if (auth.getMaxNonces() < 1000) {
                throw new RaftConfigurationException("raft.auth.max-nonces", auth.getMaxNonces(), "the replay cache must hold at least 1000 nonces",
                        "Set raft.auth.max-nonces to at least the requests one node receives in two replay windows (200000 by default)");
            }
            secret = new SharedSecret(auth.getSecret());
            verifier = new SignatureVerifyingInterceptor(secret, settings.clusterId(), settings.nodeId(), window, auth.getMaxNonces(), refusals);
        }

        boolean requireCertificate = tls != null || (serverSecurity && "REQUIRE".equals(clientAuth));
        PeerSecurity security = new PeerSecurity(settings, tls, secret, identity, requireCertificate, verifier, refusals);
        security.warnIfExposed(serverSecurity);
        return security;
    }

    private void warnIfExposed(boolean serverSecurity) {
        List<String> remote = settings.members().entrySet().stream()
                .filter(e -> !isLoopback(e.getValue())).map(e -> e.getKey() + "=" + e.getValue()).toList();
        if (tls != null) {
            LOG.info("Raft peers of node '{}' use mutual TLS (SSL bundle '{}', identity {}){}", settings.nodeId(), tls.bundleName(),
                    identity.name().toLowerCase(Locale.ROOT), serverSecurity ? "; the gRPC server's TLS comes from grpc.server.security.*" : "");
            return;
        }
        if (remote.isEmpty()) {
            return;
        }
        if (secret != null) {
            LOG.warn("Raft peers {} are not on loopback and raft.tls.bundle is not set: Raft requests are authenticated by raft.auth.secret "
                    + "but travel unencrypted, so anyone on the network can read the replicated config; set raft.tls.bundle (docs/security.md)", remote);
        } else {
            LOG.warn("Raft peers {} are not on loopback and neither raft.tls.bundle nor raft.auth.secret is set: Raft traffic is plaintext "
                    + "and unauthenticated, so any host that reaches the gRPC port can read the replicated config and disturb the cluster; "
                    + "set raft.tls.bundle (mutual TLS) or raft.auth.secret (docs/security.md)", remote);
        }
    }

    static boolean isLoopback(PeerAddress address) {
        String host = address.host().toLowerCase(Locale.ROOT);
        return host.equals("localhost") || host.endsWith(".localhost") || IPV4_LOOPBACK.matcher(host).matches()
                || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1");
    }

    /** The TLS material of the peer channels, or {@code null} for plaintext. */
    public PeerTls tls() {
        return tls;
    }

    public boolean requiresCertificate() {
        return requireCertificate;
    }

    public boolean requiresSignature() {
        return secret != null;
    }

    public TlsIdentity identity() {
        return identity;
    }

    /** The interceptor signing requests to {@code peer}, or {@code null} without raft.auth.secret. */
    public ClientInterceptor clientInterceptor(String peer) {
        return secret == null ? null : new SigningClientInterceptor(secret, settings.clusterId(), settings.nodeId(), peer, refusals);
    }

    /**
     * The Raft service as the gRPC server must run it: the caller's certificate names go into
     * the call context, and with raft.auth.secret requests are verified on their raw bytes and
     * replies signed.
     */
    public ServerServiceDefinition protect(ServerServiceDefinition service) {
        ServerServiceDefinition raw = ServerInterceptors.useInputStreamMessages(service);
        MalformedRequestInterceptor malformed = new MalformedRequestInterceptor(settings.nodeId(), refusals);
        if (verifier == null) {
            return ServerInterceptors.interceptForward(raw, new PeerIdentityInterceptor(identity), malformed);
        }
        return ServerInterceptors.interceptForward(raw, new PeerIdentityInterceptor(identity), verifier, malformed);
    }

    @Override
    public String toString() {
        return "PeerSecurity[tls=" + (tls == null ? "off" : tls.bundleName()) + ", secret=" + (secret == null ? "off" : "******") + "]";
    }
}
