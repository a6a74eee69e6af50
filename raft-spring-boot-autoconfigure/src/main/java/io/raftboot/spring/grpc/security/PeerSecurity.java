package io.raftboot.spring.grpc.security;

import io.grpc.ClientInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.raftboot.spring.cluster.ClusterSettings;
import io.raftboot.spring.cluster.PeerAddress;
import io.raftboot.spring.cluster.RaftConfigurationException;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.SslBundles;

/**
 * How this node's Raft traffic is protected, resolved at startup from {@link PeerSecuritySettings}
 * (raft.tls.*, raft.auth.* and grpc.server.security.*, checked by the auto-configuration): mutual
 * TLS from an SSL bundle, a shared secret, both, or neither (plaintext: the default, with a
 * warning when a peer is not on loopback). Applies
 * itself to the server's service definition ({@link #protect}) and to each peer channel
 * ({@link #tls()}, {@link #clientInterceptor}). See docs/security.md.
 */
public final class PeerSecurity {

    private static final Logger LOG = LoggerFactory.getLogger(PeerSecurity.class);
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("^127(\\.\\d{1,3}){3}$");

    private final ClusterSettings settings;
    private final PeerTls tls;
    private final SharedSecret secret;
    private final TlsIdentity identity;
    private final boolean requireCertificate;
    private final SignatureVerifyingInterceptor verifier;
    private final RequestRefusals refusals;

    private PeerSecurity(
            ClusterSettings settings,
            PeerTls tls,
            SharedSecret secret,
            TlsIdentity identity,
            boolean requireCertificate,
            SignatureVerifyingInterceptor verifier,
            RequestRefusals refusals) {
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
        return new PeerSecurity(
                settings, null, null, TlsIdentity.CN, false, null, new RequestRefusals(settings.nodeId()));
    }

    /**
     * Applies settings that the auto-configuration has checked (ClusterSettingsValidator): loads
     * the SSL bundle; a bundle that is missing is a {@link RaftConfigurationException}.
     *
     * @param bundles Spring Boot's SSL bundles, needed only with raft.tls.bundle
     */
    public static PeerSecurity resolve(
            PeerSecuritySettings config,
            ClusterSettings settings,
            Supplier<SslBundles> bundles,
            RequestRefusals refusals) {
        PeerTls tls = null;
        if (config.tlsEnabled()) {
            SslBundles available = bundles.get();
            if (available == null) {
                // Not a setting's fault but a missing bean: found here, where the bundles are used.
                throw new RaftConfigurationException(
                        "raft.tls.bundle",
                        config.tlsBundle(),
                        "Spring Boot's SSL bundles are not available",
                        "Keep spring-boot-autoconfigure's SslAutoConfiguration enabled, or remove raft.tls.bundle");
            }
            tls = new PeerTls(available, config.tlsBundle(), config.identity(), refusals);
        }

        SharedSecret secret = null;
        SignatureVerifyingInterceptor verifier = null;
        if (config.secretEnabled()) {
            secret = new SharedSecret(config.secret());
            verifier = new SignatureVerifyingInterceptor(
                    secret,
                    settings.clusterId(),
                    settings.nodeId(),
                    config.replayWindow(),
                    config.maxNonces(),
                    refusals);
        }

        boolean requireCertificate = tls != null || config.serverRequiresClientCertificates();
        PeerSecurity security =
                new PeerSecurity(settings, tls, secret, config.identity(), requireCertificate, verifier, refusals);
        security.warnIfExposed(config.serverTls());
        return security;
    }

    private void warnIfExposed(boolean serverSecurity) {
        List<String> remote = settings.members().entrySet().stream()
                .filter(e -> !isLoopback(e.getValue()))
                .map(e -> e.getKey() + "=" + e.getValue())
                .toList();
        if (tls != null) {
            LOG.info(
                    "Raft peers of node '{}' use mutual TLS (SSL bundle '{}', identity {}){}",
                    settings.nodeId(),
                    tls.bundleName(),
                    identity.name().toLowerCase(Locale.ROOT),
                    serverSecurity ? "; the gRPC server's TLS comes from grpc.server.security.*" : "");
            return;
        }
        if (remote.isEmpty()) {
            return;
        }
        if (secret != null) {
            LOG.warn(
                    "Raft peers {} are not on loopback and raft.tls.bundle is not set: Raft requests are authenticated by raft.auth.secret "
                            + "but travel unencrypted, so anyone on the network can read the replicated config; set raft.tls.bundle (docs/security.md)",
                    remote);
        } else {
            LOG.warn(
                    "Raft peers {} are not on loopback and neither raft.tls.bundle nor raft.auth.secret is set: Raft traffic is plaintext "
                            + "and unauthenticated, so any host that reaches the gRPC port can read the replicated config and disturb the cluster; "
                            + "set raft.tls.bundle (mutual TLS) or raft.auth.secret (docs/security.md)",
                    remote);
        }
    }

    static boolean isLoopback(PeerAddress address) {
        String host = address.host().toLowerCase(Locale.ROOT);
        return host.equals("localhost")
                || host.endsWith(".localhost")
                || IPV4_LOOPBACK.matcher(host).matches()
                || host.equals("::1")
                || host.equals("0:0:0:0:0:0:0:1");
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
        return secret == null
                ? null
                : new SigningClientInterceptor(secret, settings.clusterId(), settings.nodeId(), peer, refusals);
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
        return "PeerSecurity[tls=" + (tls == null ? "off" : tls.bundleName()) + ", secret="
                + (secret == null ? "off" : "******") + "]";
    }
}
