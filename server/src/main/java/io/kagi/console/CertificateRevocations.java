package io.kagi.console;

import java.util.List;
import java.util.Optional;

import io.kagi.certificates.ClientCertificates;
import io.kagi.confirmation.Execution;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The bank operator's revocation of a customer's client certificate (CUSR003 lists a user's certificates;
 * a supervisor confirms with a fresh OTP): the certificate is refused at the next login and appears in the
 * CRL. Reason {@code CESSATION_OF_OPERATION} (the bank's), beside the master user's {@code KEY_COMPROMISE}.
 */
@Component
public class CertificateRevocations {

    static final String STEP = "console-certificate-revoke";

    private final OperatorConfirmations confirmations;
    private final ClientCertificates certificates;

    CertificateRevocations(OperatorConfirmations confirmations, ClientCertificates certificates) {
        this.confirmations = confirmations;
        this.certificates = certificates;
    }

    /** The certificate {@code serial} of the portal user {@code user}. */
    public record Revocation(long user, String serial) {
    }

    /** A user's certificates that are not revoked (CUSR003). */
    public List<ClientCertificates.CertificateRecord> validOf(long userId) {
        return certificates.enabled() ? certificates.validOfUser(userId) : List.of();
    }

    public Optional<ClientCertificates.CertificateRecord> find(Revocation revocation) {
        return certificates.find(revocation.serial()).filter(found -> found.userId() == revocation.user() && !found.revoked());
    }

    public String hold(OperatorAccount operator, String address, Revocation revocation) {
        return confirmations.hold(operator, address, STEP, revocation);
    }

    /** Revokes what was confirmed; the result is the console message key of the outcome. */
    @Transactional
    public Execution<Revocation, String> execute(OperatorAccount operator, String address, String formToken, String code) {
        return confirmations.carryOut(operator, address, STEP, formToken, code, Revocation.class,
                revocation -> certificates.revoke(revocation.serial(), Optional.empty(), "CESSATION_OF_OPERATION",
                        operator.actor(), address) ? "console.certificate.revoked" : "console.certificate.notRevoked");
    }
}
