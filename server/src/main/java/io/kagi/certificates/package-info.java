/**
 * 電子証明書: the bank as the certificate authority for its customers' PCs (docs/certificates.md).
 * {@link io.kagi.certificates.ClientCertificates} signs a portal user's PKCS#10 request (the key pair is
 * made in the browser and never leaves the PC), keeps a record of every certificate it signed, checks a
 * presented certificate against those records at every login (its serial, its owner, revocation and the
 * dates by the application's clock), revokes, and makes the CRL. {@link io.kagi.certificates.ClientCertificateTls}
 * adds the HTTPS connector that asks for a client certificate without requiring one. The portal
 * (io.kagi.bizweb) owns the pages and decides who may issue, renew and revoke.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Client certificates",
        allowedDependencies = {"platform", "audit"})
package io.kagi.certificates;
