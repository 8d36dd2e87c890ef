package io.kagi.certificates;

import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.web.util.matcher.IpAddressMatcher;
import org.springframework.stereotype.Component;

/**
 * The client certificate a request came with: from the TLS handshake of Kagi's own HTTPS connector, or,
 * behind a TLS-terminating proxy, from {@code kagi.certificates.proxy-header} — believed only when the TCP
 * peer is one of {@code kagi.certificates.proxy-addresses} (the header is anyone's to write otherwise).
 * The header holds the certificate as PEM (URL-encoded, as nginx's {@code $ssl_client_escaped_cert}) or
 * as base64 DER (HAProxy's {@code %[ssl_c_der,base64]}).
 */
@Component
public class PresentedCertificates {

    static final String TLS_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";
    /** The TCP peer before Tomcat's RemoteIpValve replaced it with the forwarded client address. */
    static final String PEER_ATTRIBUTE = "io.kagi.certificates.peer";

    private final String header;
    private final List<IpAddressMatcher> proxies;

    PresentedCertificates(CertificateProperties properties) {
        this.header = properties.proxyHeader();
        this.proxies = Arrays.stream(properties.proxyAddresses().split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(IpAddressMatcher::new).toList();
    }

    public Optional<X509Certificate> of(HttpServletRequest request) {
        Object tls = request.getAttribute(TLS_ATTRIBUTE);
        if (tls instanceof X509Certificate[] chain && chain.length > 0) {
            return Optional.of(chain[0]);
        }
        if (header.isEmpty() || proxies.isEmpty()) {
            return Optional.empty();
        }
        String value = request.getHeader(header);
        Object peer = request.getAttribute(PEER_ATTRIBUTE);
        String peerAddress = peer instanceof String address ? address : request.getRemoteAddr();
        if (value == null || value.isBlank() || proxies.stream().noneMatch(proxy -> proxy.matches(peerAddress))) {
            return Optional.empty();
        }
        return parse(value);
    }

    static Optional<X509Certificate> parse(String value) {
        try {
            String text = value.trim();
            byte[] der;
            if (text.contains("%") || text.startsWith("-----")) {
                String pem = URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.US_ASCII);
                der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[^-]+-----", ""));
            } else {
                der = Base64.getDecoder().decode(text);
            }
            return Optional.of((X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der)));
        } catch (CertificateException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
