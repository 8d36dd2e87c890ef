package io.kagi.certificates;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The client certificates' settings ({@code kagi.certificates}; README, docs/certificates.md).
 *
 * @param caFile the bank CA's key and certificate: a PKCS#12 file ({@code .p12}/{@code .pfx}) or a PEM file
 * @param caPassword the PKCS#12 file's password
 * @param generateCa whether a CA is generated in the data folder when no file is given (the embedded default)
 * @param validity how long a certificate is valid (one year)
 * @param expiryNotice how long before the expiry the top page tells its owner
 * @param issueWithoutToken whether a user without a token may issue with their password alone
 * @param httpsPort the HTTPS port asking for client certificates (-1: none, 0: a free one)
 * @param httpsKeystore the HTTPS server's PKCS#12 keystore (empty: a generated self-signed certificate)
 * @param httpsKeystorePassword its password
 * @param proxyHeader the header in which a TLS-terminating proxy passes the client certificate
 * @param proxyAddresses the proxies (comma-separated CIDRs) whose header is believed
 */
@ConfigurationProperties("kagi.certificates")
public record CertificateProperties(String caFile, String caPassword, boolean generateCa, Duration validity,
                                    Duration expiryNotice, boolean issueWithoutToken, int httpsPort, String httpsKeystore,
                                    String httpsKeystorePassword, String proxyHeader, String proxyAddresses) {

    public CertificateProperties {
        validity = validity == null ? Duration.ofDays(365) : validity;
        expiryNotice = expiryNotice == null ? Duration.ofDays(30) : expiryNotice;
        caFile = caFile == null ? "" : caFile.trim();
        httpsKeystore = httpsKeystore == null ? "" : httpsKeystore.trim();
        proxyHeader = proxyHeader == null ? "" : proxyHeader.trim();
        proxyAddresses = proxyAddresses == null ? "" : proxyAddresses.trim();
    }

    @Override
    public String toString() {
        return "CertificateProperties[caFile=" + caFile + ", validity=" + validity + ", httpsPort=" + httpsPort + "]";
    }
}
