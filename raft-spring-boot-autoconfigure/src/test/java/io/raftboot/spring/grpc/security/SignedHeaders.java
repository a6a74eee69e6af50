package io.raftboot.spring.grpc.security;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;

/** Builds raft.auth.secret request headers by hand, for tests that replay or forge them. */
public final class SignedHeaders {

    private SignedHeaders() {}

    public static <ReqT> Metadata sign(
            String secret,
            MethodDescriptor<ReqT, ?> method,
            String cluster,
            String from,
            String to,
            long timestampMillis,
            ReqT request) {
        String nonce = SharedSecret.newNonce();
        byte[] body = SigningClientInterceptor.bytes(method.streamRequest(request));
        byte[] mac = new SharedSecret(secret)
                .signRequest(method.getFullMethodName(), cluster, from, to, timestampMillis, nonce, body);
        Metadata headers = new Metadata();
        headers.put(SharedSecret.CLUSTER, cluster);
        headers.put(SharedSecret.FROM, from);
        headers.put(SharedSecret.TO, to);
        headers.put(SharedSecret.TIMESTAMP, Long.toString(timestampMillis));
        headers.put(SharedSecret.NONCE, nonce);
        headers.put(SharedSecret.SIGNATURE, SharedSecret.encode(mac));
        return headers;
    }

    /**
     * The client side of a stream opened by hand: signed opening headers, then frames sealed in
     * sequence ({@link StreamFrames}), for tests that tamper with, replay or move frames.
     */
    public static final class ForgedStream {

        public final Metadata headers;
        private final StreamFrames frames;

        private ForgedStream(Metadata headers, StreamFrames frames) {
            this.headers = headers;
            this.frames = frames;
        }

        /** The frame's bytes with the next sequence number and its HMAC appended. */
        public byte[] seal(byte[] body) {
            return frames.seal(body);
        }
    }

    public static ForgedStream openStream(
            String secret,
            MethodDescriptor<?, ?> method,
            String cluster,
            String from,
            String to,
            long timestampMillis) {
        String nonce = SharedSecret.newNonce();
        SharedSecret key = new SharedSecret(secret);
        String name = method.getFullMethodName();
        Metadata headers = new Metadata();
        headers.put(SharedSecret.CLUSTER, cluster);
        headers.put(SharedSecret.FROM, from);
        headers.put(SharedSecret.TO, to);
        headers.put(SharedSecret.TIMESTAMP, Long.toString(timestampMillis));
        headers.put(SharedSecret.NONCE, nonce);
        headers.put(
                SharedSecret.SIGNATURE,
                SharedSecret.encode(key.signStreamOpening(name, cluster, from, to, timestampMillis, nonce)));
        return new ForgedStream(headers, new StreamFrames(key, false, name, cluster, from, to, nonce));
    }
}
