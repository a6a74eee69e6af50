package io.raftboot.spring.grpc.security;

import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.InputStream;

/**
 * The client side of a raft.auth.secret stream (the {@code Replicate} RPC): signs the stream's
 * opening (headers: cluster, sender, receiver, timestamp and a fresh nonce, no body), seals each
 * request frame and checks each reply frame ({@link StreamFrames}). A reply frame that does not
 * verify, or comes out of sequence, is not delivered: the stream is cancelled and ends with
 * {@code UNAUTHENTICATED}; the refusal is counted ({@link RequestRefusals}). Messages travel as
 * raw bytes below this call, so the MAC covers exactly the bytes on the wire.
 */
final class SigningStreamCall<ReqT, RespT> extends ClientCall<ReqT, RespT> {

    /** Passes the bytes through unchanged: this call marshals and parses itself. */
    static final MethodDescriptor.Marshaller<InputStream> RAW = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(InputStream value) {
            return value;
        }

        @Override
        public InputStream parse(InputStream stream) {
            return stream;
        }
    };

    private final ClientCall<InputStream, InputStream> delegate;
    private final MethodDescriptor<ReqT, RespT> method;
    private final SharedSecret secret;
    private final String clusterId;
    private final String nodeId;
    private final String peerId;
    private final RequestRefusals refusals;
    private StreamFrames requests;
    private StreamFrames replies;

    SigningStreamCall(
            ClientCall<InputStream, InputStream> delegate,
            MethodDescriptor<ReqT, RespT> method,
            SharedSecret secret,
            String clusterId,
            String nodeId,
            String peerId,
            RequestRefusals refusals) {
        this.delegate = delegate;
        this.method = method;
        this.secret = secret;
        this.clusterId = clusterId;
        this.nodeId = nodeId;
        this.peerId = peerId;
        this.refusals = refusals;
    }

    @Override
    public void start(Listener<RespT> listener, Metadata headers) {
        long now = System.currentTimeMillis();
        String nonce = SharedSecret.newNonce();
        String name = method.getFullMethodName();
        headers.put(SharedSecret.CLUSTER, clusterId);
        headers.put(SharedSecret.FROM, nodeId);
        headers.put(SharedSecret.TO, peerId);
        headers.put(SharedSecret.TIMESTAMP, Long.toString(now));
        headers.put(SharedSecret.NONCE, nonce);
        headers.put(
                SharedSecret.SIGNATURE,
                SharedSecret.encode(secret.signStreamOpening(name, clusterId, nodeId, peerId, now, nonce)));
        requests = new StreamFrames(secret, false, name, clusterId, nodeId, peerId, nonce);
        replies = new StreamFrames(secret, true, name, clusterId, peerId, nodeId, nonce);
        delegate.start(new VerifyingListener(listener), headers);
    }

    @Override
    public void request(int numMessages) {
        delegate.request(numMessages);
    }

    @Override
    public void sendMessage(ReqT message) {
        byte[] body = SigningClientInterceptor.bytes(method.streamRequest(message));
        delegate.sendMessage(new ByteArrayInputStream(requests.seal(body)));
    }

    @Override
    public void halfClose() {
        delegate.halfClose();
    }

    @Override
    public void cancel(String message, Throwable cause) {
        delegate.cancel(message, cause);
    }

    @Override
    public boolean isReady() {
        return delegate.isReady();
    }

    @Override
    public void setMessageCompression(boolean enabled) {
        delegate.setMessageCompression(enabled);
    }

    /** Delivers only reply frames that verify, in their sequence. */
    private final class VerifyingListener extends ClientCall.Listener<InputStream> {

        private final Listener<RespT> listener;
        private volatile Status refusal;

        VerifyingListener(Listener<RespT> listener) {
            this.listener = listener;
        }

        @Override
        public void onHeaders(Metadata headers) {
            listener.onHeaders(headers);
        }

        @Override
        public void onMessage(InputStream message) {
            if (refusal != null) {
                return;
            }
            StreamFrames.Opened opened = replies.open(SigningClientInterceptor.bytes(message));
            if (!opened.ok()) {
                String description = "a reply of '" + peerId + "' on " + method.getBareMethodName() + ": "
                        + opened.problem() + "; every replica must use the same raft.auth.secret";
                if (refusals != null) {
                    refusals.refuse(
                            opened.refusal(), "reply/" + peerId, "node '" + nodeId + "' refuses " + description);
                }
                refusal = Status.UNAUTHENTICATED.withDescription(description);
                delegate.cancel(description, null);
                return;
            }
            RespT reply;
            try {
                reply = method.parseResponse(new ByteArrayInputStream(opened.body()));
            } catch (RuntimeException e) {
                refusal = Status.INTERNAL.withDescription("an undecodable reply of '" + peerId + "': " + e);
                delegate.cancel("undecodable reply", e);
                return;
            }
            listener.onMessage(reply);
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            Status refused = refusal;
            listener.onClose(refused != null ? refused : status, refused != null ? new Metadata() : trailers);
        }

        @Override
        public void onReady() {
            listener.onReady();
        }
    }
}
