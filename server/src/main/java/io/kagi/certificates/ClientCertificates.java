package io.kagi.certificates;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;
import io.kagi.platform.BankProperties;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The client certificates the bank's CA signs (docs/certificates.md has the profile): issuance from a
 * PKCS#10 request, renewal (the new one supersedes the old in the same transaction), revocation, the
 * check of a presented certificate against Kagi's own records, and the CRL. Every change writes its
 * audit row in its transaction.
 */
@Component
public class ClientCertificates {

    /** Why a certificate request is not signed. */
    public enum RequestProblem {
        /** Not a PKCS#10 request in PEM. */
        MALFORMED,
        /** Its signature does not match its key: the request was not made by the key's holder. */
        BAD_SIGNATURE,
        /** Not an ECDSA P-256 key or an RSA key of at least 2048 bits. */
        UNSUPPORTED_KEY,
        /** Its subject names another login ID than the user's. */
        NOT_FOR_THIS_USER,
        /** That key has a certificate already. */
        KEY_ALREADY_CERTIFIED
    }

    /** Why a presented certificate is refused. */
    public enum Refusal {
        /** Not signed by the bank's CA (or signed by it but unknown to Kagi). */
        FOREIGN,
        /** Past its end (or before its start) by the application's clock. */
        EXPIRED,
        /** Revoked (a lost PC, a renewal, the bank). */
        REVOKED
    }

    /** A request that passed every check and may be signed. */
    public record CheckedRequest(PublicKey publicKey, String keyDigest) {
    }

    /** The outcome of {@link #parse}: a request to sign, or the reason not to. */
    public sealed interface Parsed permits Parsed.Valid, Parsed.Invalid {
        record Valid(CheckedRequest request) implements Parsed {
        }

        record Invalid(RequestProblem problem) implements Parsed {
        }
    }

    /** The outcome of {@link #check}. */
    public sealed interface Presented permits Presented.Accepted, Presented.Refused {
        record Accepted(String serial, long userId, String loginId, Instant notAfter) implements Presented {
        }

        record Refused(Refusal refusal, String serial) implements Presented {
        }
    }

    /** Whom a certificate is for. */
    public record Holder(long userId, long companyId, String companyName, String loginId) {
    }

    /** A signed certificate, with what the browser needs to install it. */
    public record Issued(String serial, String certificatePem, String caPem, Instant notBefore, Instant notAfter) {
    }

    /** One certificate as the portal lists it. */
    public record CertificateRecord(String serial, long userId, String loginId, Instant notBefore, Instant notAfter,
                                    Instant issuedAt, Instant revokedAt, String revocationReason) {
        public boolean revoked() {
            return revokedAt != null;
        }

        public boolean validAt(Instant now) {
            return revokedAt == null && !now.isBefore(notBefore) && now.isBefore(notAfter);
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final BankCa ca;
    private final CertificateProperties properties;
    private final BankProperties bank;
    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Clock clock;

    ClientCertificates(BankCa ca, CertificateProperties properties, BankProperties bank, JdbcClient jdbc, AuditLog audit,
                       Clock clock) {
        this.ca = ca;
        this.properties = properties;
        this.bank = bank;
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    /** Whether the bank offers client certificates (a CA is configured, or generated on the embedded default). */
    public boolean enabled() {
        return ca.enabled();
    }

    public boolean issueWithoutToken() {
        return properties.issueWithoutToken();
    }

    public Duration expiryNotice() {
        return properties.expiryNotice();
    }

    /** Checks a PKCS#10 request (PEM) for {@code loginId}: well formed, signed by its own key, a strong key, this user's. */
    public Parsed parse(String csrPem, String loginId) {
        PKCS10CertificationRequest request;
        try (PEMParser parser = new PEMParser(new StringReader(csrPem == null ? "" : csrPem))) {
            Object object = parser.readObject();
            if (!(object instanceof PKCS10CertificationRequest parsed)) {
                return new Parsed.Invalid(RequestProblem.MALFORMED);
            }
            request = parsed;
        } catch (IOException | RuntimeException e) {
            return new Parsed.Invalid(RequestProblem.MALFORMED);
        }
        PublicKey key;
        try {
            JcaPKCS10CertificationRequest jca = new JcaPKCS10CertificationRequest(request);
            key = jca.getPublicKey();
            ContentVerifierProvider verifier = new JcaContentVerifierProviderBuilder().build(key);
            if (!request.isSignatureValid(verifier)) {
                return new Parsed.Invalid(RequestProblem.BAD_SIGNATURE);
            }
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException
                 | org.bouncycastle.pkcs.PKCSException | RuntimeException e) {
            return new Parsed.Invalid(RequestProblem.BAD_SIGNATURE);
        }
        if (!strong(key)) {
            return new Parsed.Invalid(RequestProblem.UNSUPPORTED_KEY);
        }
        String commonName = commonName(request.getSubject());
        if (commonName != null && !commonName.equals(loginId)) {
            return new Parsed.Invalid(RequestProblem.NOT_FOR_THIS_USER);
        }
        String digest = digest(key.getEncoded());
        if (keyCertified(digest)) {
            return new Parsed.Invalid(RequestProblem.KEY_ALREADY_CERTIFIED);
        }
        return new Parsed.Valid(new CheckedRequest(key, digest));
    }

    private static boolean strong(PublicKey key) {
        if (key instanceof ECPublicKey ec) {
            return ec.getParams().getCurve().getField().getFieldSize() == 256
                    && ec.getParams().getOrder().equals(new BigInteger(
                    "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16));
        }
        if (key instanceof RSAPublicKey rsa) {
            return rsa.getModulus().bitLength() >= 2048;
        }
        return false;
    }

    private static String commonName(X500Name name) {
        var rdns = name.getRDNs(BCStyle.CN);
        return rdns.length == 0 ? null : IETFUtils.valueToString(rdns[0].getFirst().getValue());
    }

    private boolean keyCertified(String digest) {
        return jdbc.sql("SELECT COUNT(*) FROM client_certificate WHERE public_key_sha256 = :digest")
                .param("digest", digest).query(Long.class).single() > 0;
    }

    /**
     * Signs a checked request for {@code holder} (inside the caller's transaction, with the audit row);
     * {@code renews}, when present, is the holder's certificate the new one supersedes (revoked as SUPERSEDED).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Issued issue(Holder holder, CheckedRequest request, Optional<String> renews, String actor, String address) {
        Instant now = clock.instant();
        Instant notBefore = now.minus(Duration.ofMinutes(5));
        Instant notAfter = now.plus(properties.validity());
        BigInteger serial = new BigInteger(127, RANDOM).add(BigInteger.ONE);
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.C, "JP")
                .addRDN(BCStyle.O, holder.companyName()).addRDN(BCStyle.CN, holder.loginId()).build();
        X509Certificate certificate;
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.name(), serial, Date.from(notBefore),
                    Date.from(notAfter), subject, request.publicKey());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(request.publicKey()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(ca.certificate()))
                    .addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
                            new DistributionPoint(new DistributionPointName(new GeneralNames(new GeneralName(
                                    GeneralName.uniformResourceIdentifier, crlUrl()))), null, null)}));
            certificate = new JcaX509CertificateConverter().getCertificate(builder.build(ca.signer()));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("The CA could not sign a certificate", e);
        }
        String serialHex = serial.toString(16);
        byte[] der;
        try {
            der = certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
        jdbc.sql("""
                        INSERT INTO client_certificate (serial, user_id, company_id, login_id, subject, public_key_sha256,
                                                        not_before, not_after, certificate, issued_at, renews_serial)
                        VALUES (:serial, :user, :company, :loginId, :subject, :digest, :notBefore, :notAfter, :der, :now, :renews)""")
                .param("serial", serialHex).param("user", holder.userId()).param("company", holder.companyId())
                .param("loginId", holder.loginId()).param("subject", subject.toString()).param("digest", request.keyDigest())
                .param("notBefore", utc(notBefore)).param("notAfter", utc(notAfter)).param("der", der).param("now", utc(now))
                .param("renews", renews.orElse(null))
                .update();
        AuditEvent event = AuditEvent.of(renews.isPresent() ? "CERTIFICATE_RENEWED" : "CERTIFICATE_ISSUED", actor)
                .company(holder.companyId()).subject("user:" + holder.loginId()).from(address)
                .detail("serial", serialHex).detail("notAfter", notAfter.toString());
        if (renews.isPresent()) {
            event = event.detail("renews", renews.get());
            revokeWithin(renews.get(), holder.userId(), "SUPERSEDED", actor);
        }
        audit.record(event);
        return new Issued(serialHex, pem(certificate), pem(ca.certificate()), notBefore, notAfter);
    }

    /**
     * Revokes the certificate {@code serial} of a user of {@code companyId} (the master user's lost PC) or of
     * any company ({@code companyId} empty: the bank operator); false when there is no such valid certificate.
     */
    @Transactional
    public boolean revoke(String serial, Optional<Long> companyId, String reason, String actor, String address) {
        Optional<CertificateRecord> record = find(serial)
                .filter(found -> companyId.isEmpty() || companyOf(serial).equals(companyId.get()));
        if (record.isEmpty() || !revokeWithin(serial, record.get().userId(), reason, actor)) {
            return false;
        }
        audit.record(AuditEvent.of("CERTIFICATE_REVOKED", actor).company(companyOf(serial))
                .subject("user:" + record.get().loginId()).from(address).detail("serial", serial).detail("reason", reason));
        return true;
    }

    private boolean revokeWithin(String serial, long userId, String reason, String actor) {
        return jdbc.sql("""
                        UPDATE client_certificate SET revoked_at = :now, revocation_reason = :reason, revoked_by = :actor
                        WHERE serial = :serial AND user_id = :user AND revoked_at IS NULL""")
                .param("now", utc(clock.instant())).param("reason", reason).param("actor", actor)
                .param("serial", serial).param("user", userId).update() == 1;
    }

    private Long companyOf(String serial) {
        return jdbc.sql("SELECT company_id FROM client_certificate WHERE serial = :serial").param("serial", serial)
                .query(Long.class).single();
    }

    /**
     * A presented certificate against Kagi's own records: signed by the bank's CA, known by its serial, not
     * revoked, and within its dates by the application's clock.
     */
    public Presented check(X509Certificate presented) {
        String serial = presented.getSerialNumber().toString(16);
        try {
            if (!presented.getIssuerX500Principal().equals(ca.certificate().getSubjectX500Principal())) {
                return new Presented.Refused(Refusal.FOREIGN, serial);
            }
            presented.verify(ca.certificate().getPublicKey());
        } catch (GeneralSecurityException | RuntimeException e) {
            return new Presented.Refused(Refusal.FOREIGN, serial);
        }
        Optional<CertificateRecord> record = find(serial);
        if (record.isEmpty()) {
            return new Presented.Refused(Refusal.FOREIGN, serial);
        }
        if (record.get().revoked()) {
            return new Presented.Refused(Refusal.REVOKED, serial);
        }
        Instant now = clock.instant();
        if (now.isBefore(record.get().notBefore()) || !now.isBefore(record.get().notAfter())) {
            return new Presented.Refused(Refusal.EXPIRED, serial);
        }
        return new Presented.Accepted(serial, record.get().userId(), record.get().loginId(), record.get().notAfter());
    }

    public Optional<CertificateRecord> find(String serial) {
        return jdbc.sql(COLUMNS + " WHERE serial = :serial").param("serial", serial).query(this::record).optional();
    }

    /** A user's certificates, newest first. */
    public List<CertificateRecord> ofUser(long userId) {
        return jdbc.sql(COLUMNS + " WHERE user_id = :user ORDER BY issued_at DESC, serial").param("user", userId)
                .query(this::record).list();
    }

    /** A company's certificates that are not revoked, by login ID. */
    public List<CertificateRecord> validOfCompany(long companyId) {
        return jdbc.sql(COLUMNS + " WHERE company_id = :company AND revoked_at IS NULL ORDER BY login_id, not_after")
                .param("company", companyId).query(this::record).list();
    }

    /** Certificates of any company that are not revoked (the bank operator's view), newest first. */
    public List<CertificateRecord> validOfUser(long userId) {
        return ofUser(userId).stream().filter(record -> !record.revoked()).toList();
    }

    /** The user's valid certificate that expires within {@link #expiryNotice()}, the one expiring first. */
    public Optional<CertificateRecord> expiringSoon(long userId) {
        Instant now = clock.instant();
        return ofUser(userId).stream().filter(record -> record.validAt(now))
                .filter(record -> record.notAfter().isBefore(now.plus(properties.expiryNotice())))
                .min(java.util.Comparator.comparing(CertificateRecord::notAfter));
    }

    private static final String COLUMNS = """
            SELECT serial, user_id, login_id, not_before, not_after, issued_at, revoked_at, revocation_reason
            FROM client_certificate""";

    private CertificateRecord record(java.sql.ResultSet row, int number) throws java.sql.SQLException {
        OffsetDateTime revoked = row.getObject("revoked_at", OffsetDateTime.class);
        return new CertificateRecord(row.getString("serial"), row.getLong("user_id"), row.getString("login_id"),
                row.getObject("not_before", OffsetDateTime.class).toInstant(),
                row.getObject("not_after", OffsetDateTime.class).toInstant(),
                row.getObject("issued_at", OffsetDateTime.class).toInstant(),
                revoked == null ? null : revoked.toInstant(), row.getString("revocation_reason"));
    }

    /** The CRL (DER), signed now, valid for a day: every revoked certificate that has not expired yet. */
    public byte[] crl() {
        Instant now = clock.instant();
        X509v2CRLBuilder builder = new X509v2CRLBuilder(ca.name(), Date.from(now));
        builder.setNextUpdate(Date.from(now.plus(Duration.ofDays(1))));
        jdbc.sql("""
                        SELECT serial, revoked_at, revocation_reason FROM client_certificate
                        WHERE revoked_at IS NOT NULL AND not_after > :now ORDER BY revoked_at""")
                .param("now", utc(now))
                .query((row, number) -> {
                    builder.addCRLEntry(new BigInteger(row.getString("serial"), 16),
                            Date.from(row.getObject("revoked_at", OffsetDateTime.class).toInstant()),
                            reasonCode(row.getString("revocation_reason")));
                    return null;
                }).list();
        try {
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(now.toEpochMilli())));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.certificate()));
            X509CRLHolder crl = builder.build(ca.signer());
            return crl.getEncoded();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("The CRL could not be made", e);
        }
    }

    private static int reasonCode(String reason) {
        return switch (reason == null ? "" : reason) {
            case "KEY_COMPROMISE" -> CRLReason.keyCompromise;
            case "SUPERSEDED" -> CRLReason.superseded;
            case "CESSATION_OF_OPERATION" -> CRLReason.cessationOfOperation;
            default -> CRLReason.unspecified;
        };
    }

    /** The bank CA's certificate (PEM), for a browser or a proxy that trusts it. */
    public String caPem() {
        return pem(ca.certificate());
    }

    String crlUrl() {
        return bank.publicUrl() + "/certificates/crl";
    }

    static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static String digest(byte[] encoded) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(encoded));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
