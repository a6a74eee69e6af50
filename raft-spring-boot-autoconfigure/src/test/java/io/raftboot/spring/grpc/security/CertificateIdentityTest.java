package io.raftboot.spring.grpc.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftboot.spring.cluster.PeerAddress;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateIdentityTest {

    @TempDir
    Path dir;

    @Test
    void cnModeReadsTheSubjectCommonName() {
        TestPki.Issued cert = new TestPki(dir, "ca").issue("n1", "broker-1.raft.default.svc.cluster.local");
        assertThat(CertificateIdentity.names(cert.certificate(), TlsIdentity.CN))
                .containsExactly("n1");
    }

    @Test
    void sanModeReadsDnsAndUriNamesButNotTheCn() {
        TestPki.Issued cert = new TestPki(dir, "ca")
                .issue("ignored", "broker-1.raft.default.svc.cluster.local", "spiffe://example.org/raft/1");
        assertThat(CertificateIdentity.names(cert.certificate(), TlsIdentity.SAN))
                .containsExactlyInAnyOrder("broker-1.raft.default.svc.cluster.local", "spiffe://example.org/raft/1");
    }

    @Test
    void aNameMatchesTheNodeIdTheHostOfItsAddressOrTheLastSegmentOfAUri() {
        PeerAddress address = PeerAddress.parse("Broker-1.raft.default.svc.cluster.local:9090");
        assertThat(CertificateIdentity.names(Set.of("n1"), "n1", null)).isTrue();
        assertThat(CertificateIdentity.names(Set.of("broker-1.raft.default.svc.cluster.local"), "1", address))
                .isTrue();
        assertThat(CertificateIdentity.names(Set.of("spiffe://example.org/raft/1"), "1", null))
                .isTrue();
    }

    @Test
    void aNameOfAnotherNodeDoesNotMatch() {
        PeerAddress address = PeerAddress.parse("10.0.0.2:9090");
        assertThat(CertificateIdentity.names(Set.of("n3"), "n2", address)).isFalse();
        assertThat(CertificateIdentity.names(Set.of("n12"), "n1", null)).isFalse();
        assertThat(CertificateIdentity.names(Set.of("spiffe://example.org/raft/n12"), "n1", null))
                .isFalse();
        assertThat(CertificateIdentity.names(Set.of(), "n1", null)).isFalse();
        assertThat(CertificateIdentity.names(null, "n1", null)).isFalse();
    }
}
