package io.raftboot.spring.grpc.security;

import io.raftboot.spring.cluster.PeerAddress;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The node names a peer certificate carries (raft.tls.identity): the subject's common names
 * ({@code CN}), or the DNS and URI subject alternative names ({@code SAN}). A certificate names
 * node {@code id} when one of those names equals the id, or the host of the node's address in
 * raft.peers (DNS names compared ignoring case), or, for a URI such as
 * {@code spiffe://example.org/raft/n1}, when its last path segment equals the id.
 */
public final class CertificateIdentity {

    private static final int SAN_DNS = 2;
    private static final int SAN_URI = 6;

    private CertificateIdentity() {}

    /** The names {@code certificate} carries in {@code mode}; empty if none. */
    public static Set<String> names(X509Certificate certificate, TlsIdentity mode) {
        Set<String> names = new LinkedHashSet<>();
        if (mode == TlsIdentity.CN) {
            try {
                for (Rdn rdn :
                        new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                    if ("CN".equalsIgnoreCase(rdn.getType())) {
                        names.add(String.valueOf(rdn.getValue()));
                    }
                }
            } catch (InvalidNameException e) {
                // no usable CN: no names
            }
        } else {
            try {
                Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
                if (sans != null) {
                    for (List<?> san : sans) {
                        Object type = san.get(0);
                        if (type instanceof Integer t
                                && (t == SAN_DNS || t == SAN_URI)
                                && san.get(1) instanceof String v) {
                            names.add(v);
                        }
                    }
                }
            } catch (CertificateParsingException e) {
                // unreadable SANs: no names
            }
        }
        return names;
    }

    /** Whether one of {@code names} names node {@code nodeId} at {@code address} (may be null). */
    public static boolean names(Set<String> names, String nodeId, PeerAddress address) {
        if (names == null || nodeId == null) {
            return false;
        }
        for (String name : names) {
            if (name.equals(nodeId)) {
                return true;
            }
            if (address != null
                    && name.toLowerCase(Locale.ROOT).equals(address.host().toLowerCase(Locale.ROOT))) {
                return true;
            }
            int scheme = name.indexOf("://");
            if (scheme > 0) {
                String path = name.substring(scheme + 3);
                int slash = path.lastIndexOf('/');
                if (slash >= 0 && path.substring(slash + 1).equals(nodeId)) {
                    return true;
                }
            }
        }
        return false;
    }
}
