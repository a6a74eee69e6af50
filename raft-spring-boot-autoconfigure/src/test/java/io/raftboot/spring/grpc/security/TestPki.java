package io.raftboot.spring.grpc.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Throwaway PKI for tests: a CA and the certificates it issues (EC P-256, valid for a day),
 * written as PEM files. Nothing here is ever used outside tests.
 */
public final class TestPki {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final Path dir;
    private final String name;
    private final KeyPair caKeys;
    private final X509Certificate ca;

    /** A new CA named {@code name}; its certificate is written to {@code dir/<name>-ca.crt}. */
    public TestPki(Path dir, String name) {
        this.dir = dir;
        this.name = name;
        this.caKeys = ecKeys();
        X500Name subject = new X500Name("CN=" + name + " test CA,O=raft-spring-boot tests");
        this.ca = sign(
                new JcaX509v3CertificateBuilder(
                        subject, serial(), notBefore(), notAfter(), subject, caKeys.getPublic()),
                caKeys,
                true,
                List.of());
        write(caCertificate(), pem("CERTIFICATE", encoded(ca)));
    }

    public Path caCertificate() {
        return dir.resolve(name + "-ca.crt");
    }

    /** Issues a certificate with subject CN={@code cn} and the given DNS / URI SANs (URIs contain "://"). */
    public Issued issue(String cn, String... subjectAltNames) {
        KeyPair keys = ecKeys();
        List<GeneralName> sans = new ArrayList<>();
        for (String san : subjectAltNames) {
            sans.add(new GeneralName(
                    san.contains("://") ? GeneralName.uniformResourceIdentifier : GeneralName.dNSName, san));
        }
        X509Certificate cert = sign(
                new JcaX509v3CertificateBuilder(
                        ca,
                        serial(),
                        notBefore(),
                        notAfter(),
                        new X500Name("CN=" + cn + ",O=raft-spring-boot tests"),
                        keys.getPublic()),
                caKeys,
                false,
                sans);
        String base = name + "-" + cn + "-" + SERIAL.incrementAndGet();
        Path certFile = dir.resolve(base + ".crt");
        Path keyFile = dir.resolve(base + ".key");
        write(certFile, pem("CERTIFICATE", encoded(cert)));
        write(keyFile, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        return new Issued(cert, certFile, keyFile, caCertificate());
    }

    /** An issued certificate, its key, and its CA's certificate, as PEM files. */
    public record Issued(X509Certificate certificate, Path certificateFile, Path keyFile, Path caFile) {

        /** Spring Boot PEM SSL bundle properties for this certificate, trusting {@code trusted} CA. */
        public List<String> bundle(String bundleName, Path trusted) {
            String p = "spring.ssl.bundle.pem." + bundleName + ".";
            return List.of(
                    p + "keystore.certificate=file:" + certificateFile,
                    p + "keystore.private-key=file:" + keyFile,
                    p + "truststore.certificate=file:" + trusted);
        }
    }

    private static X509Certificate sign(
            X509v3CertificateBuilder builder, KeyPair issuerKeys, boolean isCa, List<GeneralName> sans) {
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            if (isCa) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(
                        Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                    KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                }));
                if (!sans.isEmpty()) {
                    builder.addExtension(
                            Extension.subjectAlternativeName,
                            false,
                            new GeneralNames(sans.toArray(GeneralName[]::new)));
                }
            }
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (IOException | OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair ecKeys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] encoded(X509Certificate cert) {
        try {
            return cert.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static Date notBefore() {
        return Date.from(Instant.now().minus(Duration.ofHours(1)));
    }

    private static Date notAfter() {
        return Date.from(Instant.now().plus(Duration.ofDays(1)));
    }
}
