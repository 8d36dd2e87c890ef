package io.kagi.certificates;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Enumeration;

import io.kagi.platform.BankProperties;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The bank's CA for client certificates: its private key and certificate, from {@code kagi.certificates.ca-file}
 * (PKCS#12 or PEM) or, on the embedded default, generated at first start into the data folder
 * ({@code kagi-client-ca.pem}, mode 600) with a warning. Absent in production without a CA file:
 * the certificate pages are then off ({@link #enabled()}).
 */
@Component
class BankCa {

    private static final Logger log = LoggerFactory.getLogger(BankCa.class);
    static final String GENERATED_FILE = "kagi-client-ca.pem";

    private final PrivateKey key;
    private final X509Certificate certificate;

    BankCa(CertificateProperties properties, BankProperties bank, Clock clock, @Value("${kagi.data-dir}") String dataDir) {
        Loaded loaded = null;
        if (!properties.caFile().isEmpty()) {
            loaded = load(Path.of(properties.caFile()), properties.caPassword());
        } else if (properties.generateCa()) {
            Path file = Path.of(dataDir).resolve(GENERATED_FILE);
            if (Files.exists(file)) {
                loaded = load(file, null);
            } else {
                loaded = generate(file, bank.name(), clock);
            }
        }
        this.key = loaded == null ? null : loaded.key();
        this.certificate = loaded == null ? null : loaded.certificate();
    }

    record Loaded(PrivateKey key, X509Certificate certificate) {
    }

    boolean enabled() {
        return key != null;
    }

    X509Certificate certificate() {
        if (certificate == null) {
            throw new IllegalStateException("No client-certificate CA is configured (kagi.certificates.ca-file)");
        }
        return certificate;
    }

    X500Name name() {
        return X500Name.getInstance(certificate().getSubjectX500Principal().getEncoded());
    }

    ContentSigner signer() {
        try {
            return new JcaContentSignerBuilder(signatureAlgorithm(key)).build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("The CA key cannot sign", e);
        }
    }

    static String signatureAlgorithm(PrivateKey key) {
        return key instanceof RSAKey ? "SHA256withRSA" : "SHA256withECDSA";
    }

    static Loaded load(Path file, String password) {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        try {
            if (name.endsWith(".p12") || name.endsWith(".pfx")) {
                char[] secret = password == null ? new char[0] : password.toCharArray();
                KeyStore store = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(file)) {
                    store.load(in, secret);
                }
                for (Enumeration<String> aliases = store.aliases(); aliases.hasMoreElements(); ) {
                    String alias = aliases.nextElement();
                    if (store.isKeyEntry(alias)) {
                        return new Loaded((PrivateKey) store.getKey(alias, secret), (X509Certificate) store.getCertificate(alias));
                    }
                }
                throw new IllegalStateException("The CA file " + file.toAbsolutePath() + " holds no private key");
            }
            PrivateKey privateKey = null;
            X509Certificate cert = null;
            JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
                for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                    if (object instanceof PEMKeyPair pair) {
                        privateKey = keys.getPrivateKey(pair.getPrivateKeyInfo());
                    } else if (object instanceof PrivateKeyInfo info) {
                        privateKey = keys.getPrivateKey(info);
                    } else if (object instanceof X509CertificateHolder holder && cert == null) {
                        cert = new JcaX509CertificateConverter().getCertificate(holder);
                    }
                }
            }
            if (privateKey == null || cert == null) {
                throw new IllegalStateException("The CA file " + file.toAbsolutePath()
                        + " must hold the CA's private key and its certificate (PEM)");
            }
            return new Loaded(privateKey, cert);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the CA file " + file.toAbsolutePath(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot open the CA file " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /** A new ECDSA P-256 key pair. */
    static KeyPair newP256KeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        return generator.generateKeyPair();
    }

    /** Writes a new PEM file (mode 600 where the file system has POSIX modes): the key (PKCS#8), then the certificate. */
    static void writeKeyAndCertificate(Path file, PrivateKey key, X509Certificate certificate) throws IOException {
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null));
            writer.writeObject(certificate);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, pem.toString(), StandardCharsets.US_ASCII);
    }

    private static Loaded generate(Path file, String bankName, Clock clock) {
        try {
            KeyPair pair = newP256KeyPair();
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.C, "JP").addRDN(BCStyle.O, bankName)
                    .addRDN(BCStyle.CN, bankName + " Client CA (local trial)").build();
            X509Certificate cert = selfSigned(pair, subject, clock.instant(), Duration.ofDays(3650), true);
            writeKeyAndCertificate(file, pair.getPrivate(), cert);
            log.warn("Generated a local client-certificate CA in {}. This is for a local trial only: production must "
                    + "supply the bank's own CA (KAGI_CERTIFICATES_CA_FILE) and keep its key out of the database's backups.",
                    file.toAbsolutePath());
            return new Loaded(pair.getPrivate(), cert);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the CA file " + file.toAbsolutePath(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot generate the CA key", e);
        }
    }

    /** A self-signed certificate: the local CA's, or the embedded default's HTTPS server certificate. */
    static X509Certificate selfSigned(KeyPair pair, X500Name subject, Instant now, Duration validity, boolean ca,
                                      String... dnsNames) throws GeneralSecurityException {
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            PublicKey publicKey = pair.getPublic();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(127, new SecureRandom()).add(BigInteger.ONE), Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(validity)), subject, publicKey)
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(publicKey));
            if (ca) {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                        .addExtension(Extension.extendedKeyUsage, false, new org.bouncycastle.asn1.x509.ExtendedKeyUsage(
                                org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_serverAuth));
                org.bouncycastle.asn1.x509.GeneralName[] names = new org.bouncycastle.asn1.x509.GeneralName[dnsNames.length];
                for (int i = 0; i < dnsNames.length; i++) {
                    names[i] = dnsNames[i].matches("[0-9.]+")
                            ? new org.bouncycastle.asn1.x509.GeneralName(org.bouncycastle.asn1.x509.GeneralName.iPAddress, dnsNames[i])
                            : new org.bouncycastle.asn1.x509.GeneralName(org.bouncycastle.asn1.x509.GeneralName.dNSName, dnsNames[i]);
                }
                if (names.length > 0) {
                    builder.addExtension(Extension.subjectAlternativeName, false, new org.bouncycastle.asn1.x509.GeneralNames(names));
                }
            }
            ContentSigner signer = new JcaContentSignerBuilder(signatureAlgorithm(pair.getPrivate())).build(pair.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (IOException | OperatorCreationException e) {
            throw new GeneralSecurityException("Cannot make a self-signed certificate", e);
        }
    }
}
