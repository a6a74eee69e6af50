package io.raftboot.spring.grpc.security;

/**
 * Why a node refused a peer's request; the {@code reason} tag of {@code raft.requests.refused}.
 */
public enum RefusalReason {
    /** The request names another raft.cluster-id. */
    CLUSTER_ID("cluster-id"),
    /** The sender is not another member of raft.peers. */
    UNKNOWN_SENDER("unknown-sender"),
    /** The request is addressed to another node id. */
    WRONG_RECEIVER("wrong-receiver"),
    /** TLS is required but the caller presented no certificate. */
    NO_CERTIFICATE("no-certificate"),
    /** The TLS handshake failed: the caller's certificate was not issued by a trusted CA (or is expired). */
    UNTRUSTED_CERTIFICATE("untrusted-certificate"),
    /** The caller's certificate names another node than the request's sender. */
    IDENTITY_MISMATCH("identity-mismatch"),
    /** raft.auth.secret is set but the request carries no signature. */
    MISSING_SIGNATURE("missing-signature"),
    /** The request's HMAC does not verify (another secret, or altered on the way). */
    BAD_SIGNATURE("bad-signature"),
    /** The request's timestamp is outside raft.auth.replay-window. */
    STALE_TIMESTAMP("stale-timestamp"),
    /** The request's nonce was seen before within the replay window. */
    REPLAYED("replayed"),
    /** The replay cache is full (raft.auth.max-nonces); the request cannot be checked for replay. */
    REPLAY_CACHE_FULL("replay-cache-full"),
    /** A node asked to join, but neither mutual TLS nor raft.auth.secret could prove its id. */
    UNAUTHENTICATED_JOIN("unauthenticated-join"),
    /** The sender's election timeout, heartbeat interval or clock drift bound differ from this node's. */
    SETTINGS_MISMATCH("settings-mismatch"),
    /** The request is structurally invalid (negative or out-of-range terms or indexes, gaps, ...). */
    INVALID_MESSAGE("invalid-message");

    private final String tag;

    RefusalReason(String tag) {
        this.tag = tag;
    }

    /** The metric tag value. */
    public String tag() {
        return tag;
    }
}
