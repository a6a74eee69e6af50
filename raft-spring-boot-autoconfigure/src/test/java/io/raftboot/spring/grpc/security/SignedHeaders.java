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
}
