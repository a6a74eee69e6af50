package io.raftboot.spring.grpc.security;

import io.grpc.Context;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;

/**
 * Verifies the raft.auth.secret signature of each Raft request (see {@link SharedSecret}) and
 * signs the reply. Must be applied to a service definition whose messages are raw bytes
 * ({@link ServerInterceptors#useInputStreamMessages}), so the HMAC covers exactly the bytes that
 * arrived. A request with no signature, a signature that does not verify, a timestamp outside
 * the replay window or a nonce seen before is refused with {@code UNAUTHENTICATED} before the
 * service sees it, counted ({@link RequestRefusals}) and logged once. The signed sender id goes
 * into the call's {@link PeerIdentity}, where the {@code ClusterGuard} requires it to equal the
 * request's {@code from}. A stream (the {@code Replicate} RPC) is checked when it opens and then
 * frame by frame ({@link VerifiedStream}).
 */
public final class SignatureVerifyingInterceptor implements ServerInterceptor {

    private final SharedSecret secret;
    private final String clusterId;
    private final String nodeId;
    private final ReplayGuard replay;
    private final RequestRefusals refusals;

    public SignatureVerifyingInterceptor(
            SharedSecret secret,
            String clusterId,
            String nodeId,
            Duration replayWindow,
            int maxNonces,
            RequestRefusals refusals) {
        this.secret = secret;
        this.clusterId = clusterId;
        this.nodeId = nodeId;
        this.replay = new ReplayGuard(replayWindow, maxNonces);
        this.refusals = refusals;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
            ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        if (call.getMethodDescriptor().getType() != MethodDescriptor.MethodType.UNARY) {
            // A stream (Replicate): the opening is checked now, then each frame (VerifiedStream).
            return (ServerCall.Listener<ReqT>) (ServerCall.Listener<?>) VerifiedStream.start(
                    this,
                    secret,
                    clusterId,
                    nodeId,
                    (ServerCall<InputStream, Object>) (ServerCall<?, ?>) call,
                    headers,
                    (ServerCallHandler<InputStream, Object>) (ServerCallHandler<?, ?>) next);
        }
        SignedCall<ReqT, RespT> signed = new SignedCall<>(call);
        ServerCall.Listener<ReqT> downstream = next.startCall(signed, headers);
        return (ServerCall.Listener<ReqT>)
                new VerifyingListener<>((ServerCall.Listener<InputStream>) downstream, signed, headers);
    }

    /** Signs the reply (bound to the request's nonce) into the trailers. */
    private final class SignedCall<ReqT, RespT> extends ForwardingServerCall.SimpleForwardingServerCall<ReqT, RespT> {

        private volatile String requestNonce;
        private volatile String replyMac;
        private volatile String from;

        SignedCall(ServerCall<ReqT, RespT> delegate) {
            super(delegate);
        }

        @Override
        @SuppressWarnings("unchecked")
        public void sendMessage(RespT message) {
            String nonce = requestNonce;
            if (nonce != null && message instanceof InputStream in) {
                byte[] body = SigningClientInterceptor.bytes(in);
                replyMac = SharedSecret.encode(secret.signReply(
                        getMethodDescriptor().getFullMethodName(), clusterId, nodeId, from, nonce, body));
                super.sendMessage((RespT) new ByteArrayInputStream(body));
                return;
            }
            super.sendMessage(message);
        }

        @Override
        public void close(Status status, Metadata trailers) {
            String mac = replyMac;
            if (mac != null) {
                trailers.put(SharedSecret.SIGNATURE, mac);
            }
            super.close(status, trailers);
        }
    }

    private final class VerifyingListener<RespT>
            extends ForwardingServerCallListener.SimpleForwardingServerCallListener<InputStream> {

        private final SignedCall<?, RespT> call;
        private final Metadata headers;
        private boolean refused;
        private Context verified;

        VerifyingListener(ServerCall.Listener<InputStream> delegate, SignedCall<?, RespT> call, Metadata headers) {
            super(delegate);
            this.call = call;
            this.headers = headers;
        }

        @Override
        public void onMessage(InputStream message) {
            if (refused) {
                return;
            }
            byte[] body = SigningClientInterceptor.bytes(message);
            String from = header(headers, SharedSecret.FROM);
            Status refusal = verify(call.getMethodDescriptor().getFullMethodName(), headers, body, false);
            if (refusal != null) {
                refused = true;
                call.close(refusal, new Metadata());
                return;
            }
            call.from = from;
            call.requestNonce = header(headers, SharedSecret.NONCE);
            verified = Context.current()
                    .withValue(PeerIdentity.KEY, PeerIdentity.current().withSignedSender(from));
            verified.run(() -> super.onMessage(new ByteArrayInputStream(body)));
        }

        @Override
        public void onHalfClose() {
            if (refused) {
                return;
            }
            if (verified == null) {
                refused = true;
                call.close(
                        refuse(RefusalReason.MISSING_SIGNATURE, "no-message", "a call without a request message"),
                        new Metadata());
                return;
            }
            verified.run(super::onHalfClose);
        }

        @Override
        public void onReady() {
            if (verified != null) {
                verified.run(super::onReady);
            } else {
                super.onReady();
            }
        }
    }

    /**
     * Checks the signed headers of a call: present, this cluster's, timely, an HMAC that covers
     * them and {@code body} (the unary request's bytes; for a stream's opening, none), addressed to
     * this node, a nonce not seen before.
     *
     * @return {@code null} to admit, or the status to refuse with (counted and logged)
     */
    Status verify(String method, Metadata headers, byte[] body, boolean streamOpening) {
        String from = header(headers, SharedSecret.FROM);
        String cluster = header(headers, SharedSecret.CLUSTER);
        String to = header(headers, SharedSecret.TO);
        String ts = header(headers, SharedSecret.TIMESTAMP);
        String nonce = header(headers, SharedSecret.NONCE);
        String signature = header(headers, SharedSecret.SIGNATURE);
        if (cluster == null || from == null || to == null || ts == null || nonce == null || signature == null) {
            return refuse(
                    RefusalReason.MISSING_SIGNATURE,
                    String.valueOf(from),
                    "a request to " + method + " from '" + from
                            + "' carries no raft.auth.secret signature; set the same raft.auth.secret on every replica");
        }
        if (!clusterId.equals(cluster)) {
            return refuse(
                    RefusalReason.CLUSTER_ID,
                    cluster + "/" + from,
                    "a signed request from '" + from + "' belongs to cluster '" + cluster
                            + "' but this node to cluster '" + clusterId
                            + "'; set the same raft.cluster-id on every replica");
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(ts);
        } catch (NumberFormatException e) {
            return refuse(
                    RefusalReason.MISSING_SIGNATURE,
                    from,
                    "a request from '" + from + "' has a malformed signature timestamp");
        }
        long now = System.currentTimeMillis();
        if (!replay.timely(timestamp, now)) {
            return refuse(
                    RefusalReason.STALE_TIMESTAMP,
                    from,
                    "a request from '" + from + "' is timestamped " + (now - timestamp)
                            + " ms from this node's clock, outside raft.auth.replay-window; synchronize the replicas' clocks (NTP)");
        }
        byte[] expected = streamOpening
                ? secret.signStreamOpening(method, cluster, from, to, timestamp, nonce)
                : secret.signRequest(method, cluster, from, to, timestamp, nonce, body);
        if (!SharedSecret.matches(expected, signature)) {
            return refuse(
                    RefusalReason.BAD_SIGNATURE,
                    from,
                    "the signature of a request from '" + from
                            + "' does not verify: it was signed with another raft.auth.secret, or altered on the way");
        }
        if (!nodeId.equals(to)) {
            return refuse(
                    RefusalReason.WRONG_RECEIVER,
                    from + "/" + to,
                    "a signed request from '" + from + "' is addressed to node '" + to + "' but this is node '" + nodeId
                            + "'; raft.peers maps ids to different addresses on different replicas");
        }
        return switch (replay.admit(timestamp, nonce, now)) {
            case FRESH -> null;
            case STALE ->
                refuse(
                        RefusalReason.STALE_TIMESTAMP,
                        from,
                        "a request from '" + from + "' arrived outside raft.auth.replay-window");
            case REPLAYED ->
                refuse(
                        RefusalReason.REPLAYED,
                        from,
                        "a request from '" + from + "' repeats a nonce seen within raft.auth.replay-window: a replay");
            case FULL ->
                refuse(
                        RefusalReason.REPLAY_CACHE_FULL,
                        "full",
                        "the replay cache holds raft.auth.max-nonces nonces; "
                                + "requests are refused until old ones expire (raise raft.auth.max-nonces or shorten raft.auth.replay-window)");
        };
    }

    static String header(Metadata headers, Metadata.Key<String> key) {
        String v = headers.get(key);
        return v == null || v.length() > SharedSecret.MAX_HEADER_CHARS ? null : v;
    }

    Status refuse(RefusalReason reason, String key, String description) {
        String text = "node '" + nodeId + "' refuses a Raft request: " + description;
        refusals.refuse(reason, key, text);
        return Status.UNAUTHENTICATED.withDescription(text);
    }
}
