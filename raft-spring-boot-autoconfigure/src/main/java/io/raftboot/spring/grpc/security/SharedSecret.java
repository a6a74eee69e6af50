package io.raftboot.spring.grpc.security;

import io.grpc.Metadata;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 with raft.auth.secret over a canonical, length-prefixed encoding of what a Raft
 * call must not be able to change: for a request the gRPC method, cluster id, sender, receiver,
 * timestamp, nonce and the request's bytes; for a reply the method, cluster id, replying node,
 * requesting node, the request's nonce and the reply's bytes (so a reply cannot be replayed to
 * another request). Verification compares in constant time. The secret is never logged, printed
 * or put into an exception message: {@link #toString()} hides it.
 */
public final class SharedSecret {

    static final String ALGORITHM = "HmacSHA256";
    static final Metadata.Key<String> CLUSTER =
            Metadata.Key.of("x-raft-auth-cluster", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> FROM = Metadata.Key.of("x-raft-auth-from", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> TO = Metadata.Key.of("x-raft-auth-to", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> TIMESTAMP = Metadata.Key.of("x-raft-auth-ts", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> NONCE = Metadata.Key.of("x-raft-auth-nonce", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> SIGNATURE = Metadata.Key.of("x-raft-auth-sig", Metadata.ASCII_STRING_MARSHALLER);
    /** Longest header value accepted, so garbage headers cost little. */
    static final int MAX_HEADER_CHARS = 256;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    public SharedSecret(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("the shared secret is empty");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** A fresh random nonce, 16 bytes as URL-safe base64. */
    static String newNonce() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    byte[] signRequest(
            String method, String cluster, String from, String to, long timestamp, String nonce, byte[] body) {
        return mac("raft-request-v1", method, cluster, from, to, Long.toString(timestamp), nonce, body);
    }

    byte[] signReply(String method, String cluster, String from, String to, String requestNonce, byte[] body) {
        return mac("raft-reply-v1", method, cluster, from, to, "", requestNonce, body);
    }

    /**
     * The opening of a stream (its headers; no message): as a request, without a body. Its own
     * domain, so it can never pass for a unary request's signature or the other way round.
     */
    byte[] signStreamOpening(String method, String cluster, String from, String to, long timestamp, String nonce) {
        return mac("raft-stream-open-v1", method, cluster, from, to, Long.toString(timestamp), nonce, new byte[0]);
    }

    /**
     * One frame of a stream ({@link StreamFrames}): bound to the stream's nonce (so it is worth
     * nothing on another stream), its direction and its sequence number (so it cannot be replayed
     * or reordered within the stream).
     *
     * @param reply whether the frame goes from the stream's server to its client
     */
    byte[] signFrame(
            boolean reply, String method, String cluster, String from, String to, String nonce, long seq, byte[] body) {
        return mac(
                reply ? "raft-stream-reply-v1" : "raft-stream-request-v1",
                method,
                cluster,
                from,
                to,
                Long.toString(seq),
                nonce,
                body);
    }

    /** Constant-time comparison of an expected MAC with a received base64 one. */
    static boolean matches(byte[] expected, String receivedBase64) {
        byte[] received;
        try {
            received = Base64.getDecoder().decode(receivedBase64);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, received);
    }

    static String encode(byte[] mac) {
        return Base64.getEncoder().encodeToString(mac);
    }

    private byte[] mac(
            String domain,
            String method,
            String cluster,
            String from,
            String to,
            String timestamp,
            String nonce,
            byte[] body) {
        ByteArrayOutputStream canonical = new ByteArrayOutputStream(128);
        for (String part : new String[] {domain, method, cluster, from, to, timestamp, nonce}) {
            writeField(canonical, part.getBytes(StandardCharsets.UTF_8));
        }
        writeField(canonical, body);
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(canonical.toByteArray());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
        }
    }

    private static void writeField(ByteArrayOutputStream out, byte[] field) {
        int n = field.length;
        out.write(n >>> 24);
        out.write(n >>> 16);
        out.write(n >>> 8);
        out.write(n);
        out.write(field, 0, n);
    }

    @Override
    public String toString() {
        return "SharedSecret[******]";
    }
}
