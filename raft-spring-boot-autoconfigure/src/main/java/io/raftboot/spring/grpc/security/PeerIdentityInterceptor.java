package io.raftboot.spring.grpc.security;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Set;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Puts the names of the caller's TLS client certificate (raft.tls.identity) into the call's
 * {@link Context} ({@link PeerIdentity}), read from {@link Grpc#TRANSPORT_ATTR_SSL_SESSION}. An
 * empty set means TLS without a client certificate; {@code null} means no TLS at all. The
 * {@code ClusterGuard} then requires the request's sender to be named by them.
 */
public final class PeerIdentityInterceptor implements ServerInterceptor {

    private final TlsIdentity mode;

    public PeerIdentityInterceptor(TlsIdentity mode) {
        this.mode = mode;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
            ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        Set<String> names = session == null ? null : names(session);
        Context context = Context.current()
                .withValue(PeerIdentity.KEY, PeerIdentity.current().withCertificateNames(names));
        return Contexts.interceptCall(context, call, headers, next);
    }

    private Set<String> names(SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate leaf) {
                return CertificateIdentity.names(leaf, mode);
            }
        } catch (SSLPeerUnverifiedException e) {
            // no client certificate
        }
        return Set.of();
    }
}
