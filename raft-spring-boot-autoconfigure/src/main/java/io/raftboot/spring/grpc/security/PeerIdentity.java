package io.raftboot.spring.grpc.security;

import io.grpc.Context;
import java.util.Set;

/**
 * Who the caller of the current server call proved to be, put into the gRPC {@link Context} by
 * the server interceptors: the names of its TLS client certificate (per raft.tls.identity) and
 * the sender id its shared-secret signature covers. Either may be absent.
 *
 * @param certificateNames names taken from the client certificate, or {@code null} without TLS
 * @param signedSender the sender id covered by a verified HMAC, or {@code null}
 */
public record PeerIdentity(Set<String> certificateNames, String signedSender) {

    static final Context.Key<PeerIdentity> KEY = Context.key("raft-peer-identity");

    public static final PeerIdentity NONE = new PeerIdentity(null, null);

    /** The identity of the current call, or {@link #NONE}. */
    public static PeerIdentity current() {
        PeerIdentity id = KEY.get();
        return id == null ? NONE : id;
    }

    PeerIdentity withCertificateNames(Set<String> names) {
        return new PeerIdentity(names, signedSender);
    }

    PeerIdentity withSignedSender(String sender) {
        return new PeerIdentity(certificateNames, sender);
    }

    /** Runs {@code r} with {@code identity} as the current call's identity (tests, interceptors). */
    public static void runWith(PeerIdentity identity, Runnable r) {
        Context.current().withValue(KEY, identity).run(r);
    }
}
