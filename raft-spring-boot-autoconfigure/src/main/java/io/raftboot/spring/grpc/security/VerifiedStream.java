package io.raftboot.spring.grpc.security;

import io.grpc.Context;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.InputStream;

/**
 * The server side of a raft.auth.secret stream (the {@code Replicate} RPC), for the
 * {@link SignatureVerifyingInterceptor}: the stream's signed opening is checked like a unary
 * request's headers (timestamp window, HMAC, receiver, nonce admitted once), before the service
 * sees the stream; then every request frame must verify and come in sequence
 * ({@link StreamFrames}) or the stream is closed with {@code UNAUTHENTICATED}, counted and
 * logged once, and every reply frame is sealed. The service sees the frames without their
 * trailer, with the signed sender as the call's {@link PeerIdentity} (the {@code ClusterGuard}
 * then requires each frame's {@code from} to be it).
 */
final class VerifiedStream {

    private VerifiedStream() {}

    static ServerCall.Listener<InputStream> start(
            SignatureVerifyingInterceptor verifier,
            SharedSecret secret,
            String clusterId,
            String nodeId,
            ServerCall<InputStream, Object> call,
            Metadata headers,
            ServerCallHandler<InputStream, Object> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        Status refusal = verifier.verify(method, headers, new byte[0], true);
        if (refusal != null) {
            call.close(refusal, new Metadata());
            return new ServerCall.Listener<>() {};
        }
        String from = SignatureVerifyingInterceptor.header(headers, SharedSecret.FROM);
        String nonce = SignatureVerifyingInterceptor.header(headers, SharedSecret.NONCE);
        SealingCall sealed =
                new SealingCall(call, new StreamFrames(secret, true, method, clusterId, nodeId, from, nonce));
        StreamFrames requests = new StreamFrames(secret, false, method, clusterId, from, nodeId, nonce);
        Context verified = Context.current()
                .withValue(PeerIdentity.KEY, PeerIdentity.current().withSignedSender(from));
        ServerCall.Listener<InputStream> downstream;
        Context previous = verified.attach();
        try {
            downstream = next.startCall(sealed, headers);
        } finally {
            verified.detach(previous);
        }
        return new OpeningListener(verifier, sealed, requests, downstream, verified, from);
    }

    /**
     * Seals each reply frame. Replies are written by the Raft loop's thread and a refusal closes
     * the stream from the transport's: both go through this call's lock, as gRPC requires one
     * writer at a time.
     */
    private static final class SealingCall
            extends ForwardingServerCall.SimpleForwardingServerCall<InputStream, Object> {

        private final StreamFrames replies;

        SealingCall(ServerCall<InputStream, Object> delegate, StreamFrames replies) {
            super(delegate);
            this.replies = replies;
        }

        @Override
        public synchronized void sendMessage(Object message) {
            byte[] body = SigningClientInterceptor.bytes((InputStream) message);
            super.sendMessage(new ByteArrayInputStream(replies.seal(body)));
        }

        @Override
        public synchronized void close(Status status, Metadata trailers) {
            super.close(status, trailers);
        }
    }

    /** Opens each request frame; a frame that does not verify ends the stream. */
    private static final class OpeningListener extends ServerCall.Listener<InputStream> {

        private final SignatureVerifyingInterceptor verifier;
        private final SealingCall call;
        private final StreamFrames requests;
        private final ServerCall.Listener<InputStream> downstream;
        private final Context verified;
        private final String from;
        private boolean refused;

        OpeningListener(
                SignatureVerifyingInterceptor verifier,
                SealingCall call,
                StreamFrames requests,
                ServerCall.Listener<InputStream> downstream,
                Context verified,
                String from) {
            this.verifier = verifier;
            this.call = call;
            this.requests = requests;
            this.downstream = downstream;
            this.verified = verified;
            this.from = from;
        }

        @Override
        public void onMessage(InputStream message) {
            if (refused) {
                return;
            }
            StreamFrames.Opened opened = requests.open(SigningClientInterceptor.bytes(message));
            if (!opened.ok()) {
                refused = true;
                Status refusal = verifier.refuse(
                        opened.refusal(), from, "'" + from + "' sent " + opened.problem() + "; the stream is closed");
                try {
                    call.close(refusal, new Metadata());
                } catch (IllegalStateException alreadyClosed) {
                    // the service closed it first
                }
                return;
            }
            verified.run(() -> downstream.onMessage(new ByteArrayInputStream(opened.body())));
        }

        @Override
        public void onHalfClose() {
            if (!refused) {
                verified.run(downstream::onHalfClose);
            }
        }

        @Override
        public void onCancel() {
            verified.run(downstream::onCancel);
        }

        @Override
        public void onComplete() {
            verified.run(downstream::onComplete);
        }

        @Override
        public void onReady() {
            verified.run(downstream::onReady);
        }
    }
}
