package io.kagi.certificates;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import javax.net.ssl.X509TrustManager;

/**
 * The HTTPS connector's trust manager for client certificates (Tomcat makes it by its class name): it lets any
 * presented chain through the TLS handshake and names no acceptable CAs, so that the browser offers its
 * certificates and a foreign, expired or revoked one reaches the application, which refuses it with a page
 * that says why ({@link ClientCertificates#check}, docs/certificates.md). Without it a foreign certificate
 * would end in a TLS error the user cannot read, and clients would offer only certificates of the CAs the
 * JVM's default trust store names.
 */
public final class AnyClientCertificate implements X509TrustManager {

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
        // The application checks the certificate against Kagi's own records at every login.
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        // The connector serves; it never checks a server. Should anything ask, no server is trusted.
        throw new CertificateException("This trust manager trusts no server: it is the HTTPS connector's, for client certificates");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
