package io.raftboot.spring.grpc.security;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Signs each Raft request of one peer channel with raft.auth.secret (see {@link SharedSecret}):
 * the HMAC, timestamp and nonce travel in the call's headers. Because headers leave before the
 * message and the HMAC covers the message, the call is started when its (single) request is
 * sent. The peer's reply must carry a valid HMAC bound to this request's nonce in its trailers,
 * or the call fails with {@code UNAUTHENTICATED} instead of delivering it; such a refused reply is
 * counted ({@link RefusalReason#MISSING_SIGNATURE} or {@link RefusalReason#BAD_SIGNATURE}) and
 * logged once per peer and reason. That is for unary calls; a stream (the {@code Replicate} RPC)
 * is signed when it opens and then frame by frame ({@link SigningStreamCall}, {@link StreamFrames}).
 */
public final class SigningClientInterceptor implements ClientInterceptor {

    private final SharedSecret secret;
    private final String clusterId;
    private final String nodeId;
    private final String peerId;
    private final RequestRefusals refusals;

    public SigningClientInterceptor(SharedSecret secret, String clusterId, String nodeId, String peerId) {
        this(secret, clusterId, nodeId, peerId, null);
    }

    /** @param refusals counts and logs refused replies ({@code null}: neither) */
    public SigningClientInterceptor(
            SharedSecret secret, String clusterId, String nodeId, String peerId, RequestRefusals refusals) {
        this.secret = secret;
        this.clusterId = clusterId;
        this.nodeId = nodeId;
        this.peerId = peerId;
        this.refusals = refusals;
    }

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
            MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
        if (method.getType() != MethodDescriptor.MethodType.UNARY) {
            // A stream (Replicate): signed opening, then each frame sealed on its own.
            MethodDescriptor<InputStream, InputStream> raw = method.toBuilder(
                            SigningStreamCall.RAW, SigningStreamCall.RAW)
                    .build();
            return new SigningStreamCall<>(
                    next.newCall(raw, options), method, secret, clusterId, nodeId, peerId, refusals);
        }
        return new SigningCall<>(next.newCall(method, options), method);
    }

    static byte[] bytes(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final class SigningCall<ReqT, RespT> extends ClientCall<ReqT, RespT> {

        private final ClientCall<ReqT, RespT> delegate;
        private final MethodDescriptor<ReqT, RespT> method;
        private Listener<RespT> listener;
        private Metadata headers;
        private int requested;
        private boolean started;
        private String nonce;

        SigningCall(ClientCall<ReqT, RespT> delegate, MethodDescriptor<ReqT, RespT> method) {
            this.delegate = delegate;
            this.method = method;
        }

        @Override
        public void start(Listener<RespT> responseListener, Metadata headers) {
            this.listener = responseListener;
            this.headers = headers;
        }

        @Override
        public void request(int numMessages) {
            if (started) {
                delegate.request(numMessages);
            } else {
                requested += numMessages;
            }
        }

        @Override
        public void sendMessage(ReqT message) {
            if (!started) {
                long now = System.currentTimeMillis();
                nonce = SharedSecret.newNonce();
                byte[] body = bytes(method.streamRequest(message));
                byte[] mac =
                        secret.signRequest(method.getFullMethodName(), clusterId, nodeId, peerId, now, nonce, body);
                headers.put(SharedSecret.CLUSTER, clusterId);
                headers.put(SharedSecret.FROM, nodeId);
                headers.put(SharedSecret.TO, peerId);
                headers.put(SharedSecret.TIMESTAMP, Long.toString(now));
                headers.put(SharedSecret.NONCE, nonce);
                headers.put(SharedSecret.SIGNATURE, SharedSecret.encode(mac));
                startDelegate();
            }
            delegate.sendMessage(message);
        }

        @Override
        public void halfClose() {
            startDelegate();
            delegate.halfClose();
        }

        @Override
        public void cancel(String message, Throwable cause) {
            if (listener != null) {
                startDelegate(); // so the listener hears of the cancellation
            }
            delegate.cancel(message, cause);
        }

        @Override
        public boolean isReady() {
            return started && delegate.isReady();
        }

        @Override
        public void setMessageCompression(boolean enabled) {
            delegate.setMessageCompression(enabled);
        }

        private void startDelegate() {
            if (started) {
                return;
            }
            started = true;
            delegate.start(new VerifyingListener(listener), headers);
            if (requested > 0) {
                delegate.request(requested);
            }
        }

        /** Holds the reply back until the trailers show it was signed by the peer for this request. */
        private final class VerifyingListener
                extends ForwardingClientCallListener.SimpleForwardingClientCallListener<RespT> {

            private RespT reply;

            VerifyingListener(Listener<RespT> delegate) {
                super(delegate);
            }

            @Override
            public void onMessage(RespT message) {
                reply = message;
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                if (reply == null) {
                    super.onClose(status, trailers);
                    return;
                }
                String signature = trailers.get(SharedSecret.SIGNATURE);
                boolean valid = false;
                if (signature != null && nonce != null) {
                    byte[] body = bytes(method.streamResponse(reply));
                    valid = SharedSecret.matches(
                            secret.signReply(method.getFullMethodName(), clusterId, peerId, nodeId, nonce, body),
                            signature);
                }
                if (!valid) {
                    String description = "the reply of '" + peerId + "' to " + method.getBareMethodName()
                            + (signature == null
                                    ? " carries no raft.auth.secret signature"
                                    : " carries a raft.auth.secret signature that does not verify")
                            + "; every replica must use the same raft.auth.secret";
                    if (refusals != null) {
                        RefusalReason reason =
                                signature == null ? RefusalReason.MISSING_SIGNATURE : RefusalReason.BAD_SIGNATURE;
                        refusals.refuse(reason, "reply/" + peerId, "node '" + nodeId + "' refuses " + description);
                    }
                    super.onClose(Status.UNAUTHENTICATED.withDescription(description), new Metadata());
                    return;
                }
                super.onMessage(reply);
                super.onClose(status, trailers);
            }
        }
    }
}
