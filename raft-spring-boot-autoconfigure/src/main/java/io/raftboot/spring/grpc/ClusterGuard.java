package io.raftboot.spring.grpc;

import io.grpc.Status;
import io.raftboot.spring.cluster.ClusterSettings;
import io.raftboot.spring.cluster.PeerAddress;
import io.raftboot.spring.cluster.PeerDirectory;
import io.raftboot.spring.cluster.SettingsFingerprint;
import io.raftboot.spring.grpc.security.CertificateIdentity;
import io.raftboot.spring.grpc.security.PeerIdentity;
import io.raftboot.spring.grpc.security.RefusalReason;
import io.raftboot.spring.grpc.security.RequestRefusals;
import java.util.List;
import java.util.Set;

/**
 * Admits only requests from members of this node's cluster, speaking for themselves. The seed
 * accepted heartbeats from anyone; here a request with another cluster id, an unknown sender or
 * another intended receiver is refused with {@code PERMISSION_DENIED}. With mutual TLS the
 * sender id must be named by the caller's client certificate (raft.tls.identity), and with
 * raft.auth.secret it must be the id the request's signature covers, so one node cannot speak
 * for another. Each refusal is counted by reason and logged once ({@link RequestRefusals}).
 */
public final class ClusterGuard {

    private final ClusterSettings settings;
    private final String ownFingerprint;
    private final PeerDirectory directory;
    private final RequestRefusals refusals;
    private final boolean requireCertificate;
    private final boolean requireSignature;

    /** Plaintext, no shared secret. */
    public ClusterGuard(ClusterSettings settings) {
        this(settings, new PeerDirectory(settings), new RequestRefusals(settings.nodeId()), false, false);
    }

    /**
     * @param requireCertificate whether every request must come with a TLS client certificate naming its sender
     * @param requireSignature whether every request must be signed with raft.auth.secret by its sender
     */
    public ClusterGuard(
            ClusterSettings settings, RequestRefusals refusals, boolean requireCertificate, boolean requireSignature) {
        this(settings, new PeerDirectory(settings), refusals, requireCertificate, requireSignature);
    }

    /**
     * @param directory the members: those of {@code raft.peers} and of the configuration in the
     *     log, so a member added at runtime is admitted
     */
    public ClusterGuard(
            ClusterSettings settings,
            PeerDirectory directory,
            RequestRefusals refusals,
            boolean requireCertificate,
            boolean requireSignature) {
        this.settings = settings;
        this.ownFingerprint = settings.fingerprint();
        this.directory = directory;
        this.refusals = refusals;
        this.requireCertificate = requireCertificate;
        this.requireSignature = requireSignature;
    }

    public RequestRefusals refusals() {
        return refusals;
    }

    /**
     * Checks the request's claims against the cluster and against what the caller proved
     * ({@link PeerIdentity#current()}).
     *
     * @param to the intended receiver, or empty when the request names none
     * @return {@code null} to admit, or the status to refuse with
     */
    public Status check(String clusterId, String from, String to) {
        return check(clusterId, from, to, null);
    }

    /**
     * As {@link #check(String, String, String)}, and the sender's settings must be this node's
     * ({@link ClusterSettings#fingerprint()}): a node started with another election timeout,
     * heartbeat interval or clock drift bound would break the lease's assumptions, so it is told
     * apart from a merely stale member and refused ({@code settings-mismatch}).
     *
     * @param fingerprint the sender's settings, or {@code null}/empty when the request has none
     */
    public Status check(String clusterId, String from, String to, String fingerprint) {
        Status refusal = checkMember(clusterId, from, to);
        return refusal != null ? refusal : checkSettings(from, fingerprint);
    }

    private Status checkClusterId(String clusterId, String from) {
        if (settings.clusterId().equals(clusterId)) {
            return null;
        }
        return refuse(
                RefusalReason.CLUSTER_ID,
                clusterId + "/" + from,
                from,
                "it belongs to cluster '" + clusterId + "' but this node to cluster '" + settings.clusterId()
                        + "'; set the same raft.cluster-id on every replica");
    }

    private Status checkSettings(String from, String fingerprint) {
        List<String> differences = SettingsFingerprint.differences(fingerprint, ownFingerprint);
        if (!differences.isEmpty()) {
            return refuse(
                    RefusalReason.SETTINGS_MISMATCH,
                    from + "/" + fingerprint,
                    from,
                    "its settings differ from this node's (" + String.join("; ", differences)
                            + "); these must be the same on every replica (docs/operations.md, \"Timeouts\")");
        }
        return null;
    }

    private Status checkMember(String clusterId, String from, String to) {
        Status otherCluster = checkClusterId(clusterId, from);
        if (otherCluster != null) {
            return otherCluster;
        }
        if (!directory.isKnown(from) || settings.nodeId().equals(from)) {
            return refuse(
                    RefusalReason.UNKNOWN_SENDER,
                    from,
                    from,
                    "sender '" + from + "' is not another member "
                            + directory.knownIds()
                            + " (raft.peers and the configuration in the log); add it with the membership"
                            + " operations (docs/operations.md), or list it in raft.peers of a new cluster");
        }
        if (to != null && !to.isEmpty() && !settings.nodeId().equals(to)) {
            return refuse(
                    RefusalReason.WRONG_RECEIVER,
                    from + "/" + to,
                    from,
                    "it is addressed to node '" + to + "' but this is node '" + settings.nodeId()
                            + "'; raft.peers maps ids to different addresses on different replicas");
        }
        return checkIdentity(from, directory.addressOf(from));
    }

    /**
     * Checks a join request (raft.membership.auto-join): its sender is no member yet, so it is
     * admitted only if it proves its id, with a client certificate that names it (or the host of
     * the address it asks to be dialled at) or with a raft.auth.secret signature made for it. A
     * cluster without either cannot tell a joiner from anyone who reaches the port.
     *
     * @param address the address the joiner asks to be added at
     * @param fingerprint the joiner's settings ({@link ClusterSettings#fingerprint()})
     * @return {@code null} to admit, or the status to refuse with
     */
    public Status checkJoin(String clusterId, String from, PeerAddress address, String fingerprint) {
        Status otherCluster = checkClusterId(clusterId, from);
        if (otherCluster != null) {
            return otherCluster;
        }
        if (settings.nodeId().equals(from)) {
            return refuse(
                    RefusalReason.UNKNOWN_SENDER,
                    from,
                    from,
                    "a join request claims this node's own id '" + from + "'; give every replica its own raft.node-id");
        }
        if (!requireCertificate && !requireSignature) {
            return refuse(
                    RefusalReason.UNAUTHENTICATED_JOIN,
                    from,
                    from,
                    "'" + from + "' asks to join, but this cluster has neither mutual TLS (raft.tls) nor"
                            + " raft.auth.secret, so nothing proves who asks; configure one of them to use"
                            + " raft.membership.auto-join");
        }
        Status refusal = checkIdentity(from, address);
        return refusal != null ? refusal : checkSettings(from, fingerprint);
    }

    private Status checkIdentity(String from, PeerAddress address) {
        PeerIdentity identity = PeerIdentity.current();
        Set<String> names = identity.certificateNames();
        if (requireCertificate && (names == null || names.isEmpty())) {
            return refuse(
                    RefusalReason.NO_CERTIFICATE,
                    from,
                    from,
                    "it came without a TLS client certificate naming a node "
                            + "(raft.tls.identity); every peer must connect with its certificate from the SSL bundle named in raft.tls.bundle");
        }
        if (names != null && !names.isEmpty() && !CertificateIdentity.names(names, from, address)) {
            return refuse(
                    RefusalReason.IDENTITY_MISMATCH,
                    from + "/" + names,
                    from,
                    "it claims to come from '" + from + "' but the caller's TLS certificate names " + names
                            + "; a node may only speak for itself");
        }
        if (requireSignature && !from.equals(identity.signedSender())) {
            return refuse(
                    RefusalReason.IDENTITY_MISMATCH,
                    from + "/signed:" + identity.signedSender(),
                    from,
                    "it claims to come from '" + from + "' but its raft.auth.secret signature was made for '"
                            + identity.signedSender() + "'; a node may only speak for itself");
        }
        return null;
    }

    /** Refuses a structurally invalid request of an admitted sender with {@code INVALID_ARGUMENT}. */
    Status invalid(String from, String problem) {
        String description =
                "node '" + settings.nodeId() + "' refuses an invalid Raft request from '" + from + "': " + problem;
        refusals.refuse(RefusalReason.INVALID_MESSAGE, from, description);
        return Status.INVALID_ARGUMENT.withDescription(description);
    }

    private Status refuse(RefusalReason reason, String key, String from, String problem) {
        String description = "node '" + settings.nodeId() + "' refuses a Raft request from '" + from + "': " + problem;
        refusals.refuse(reason, key, description);
        Status status = reason == RefusalReason.NO_CERTIFICATE ? Status.UNAUTHENTICATED : Status.PERMISSION_DENIED;
        return status.withDescription(description);
    }
}
