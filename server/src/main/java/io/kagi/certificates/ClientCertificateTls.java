package io.kagi.certificates;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import io.kagi.platform.BankProperties;
import io.kagi.platform.StartupNotice;

import org.apache.catalina.connector.Connector;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The HTTPS connector for 電子証明書ログイン ({@code kagi.certificates.https-port}; -1 none): its TLS handshake asks
 * for a client certificate without requiring one, and accepts whatever chain is presented
 * ({@code optional_no_ca}), so that a foreign, expired or revoked certificate reaches the application, which
 * checks it against its own records ({@link ClientCertificates#check}) and answers with a page that says why
 * (docs/certificates.md). Its server certificate comes from {@code https-keystore} (PKCS#12) or, when none is
 * given, is generated self-signed for localhost into the data folder ({@code kagi-https.pem}), and its
 * SHA-256 fingerprint is printed at start.
 */
@Configuration(proxyBeanMethods = false)
public class ClientCertificateTls {

    private static final Logger log = LoggerFactory.getLogger(ClientCertificateTls.class);
    static final String ORIGIN = "https";
    private static final String GENERATED_FILE = "kagi-https.pem";

    /** Where the HTTPS connector listens, once it does (its port is known only then when configured as 0). */
    public static final class HttpsEndpoint implements StartupNotice {

        private final BankProperties bank;
        private volatile int port = -1;
        private volatile String fingerprint = "";

        HttpsEndpoint(BankProperties bank) {
            this.bank = bank;
        }

        /** The portal's HTTPS origin ({@code https://host:port}), empty when there is no HTTPS connector. */
        public java.util.Optional<String> origin() {
            if (port <= 0) {
                return java.util.Optional.empty();
            }
            java.net.URI portal = java.net.URI.create(bank.publicUrl());
            return java.util.Optional.of("https://" + portal.getHost() + ":" + port);
        }

        public String fingerprint() {
            return fingerprint;
        }

        @Override
        public List<String> lines() {
            return origin().map(https -> List.of(
                    "Business Web (HTTPS)  " + https + "/bizweb/login   (電子証明書ログイン; asks for a client certificate)",
                    "    server certificate SHA-256 " + fingerprint)).orElse(List.of());
        }
    }

    @Bean
    HttpsEndpoint httpsEndpoint(BankProperties bank) {
        return new HttpsEndpoint(bank);
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> clientCertificateConnector(
            CertificateProperties properties, ServerProperties server, HttpsEndpoint endpoint, Clock clock,
            @Value("${kagi.data-dir}") String dataDir) {
        return factory -> {
            if (!properties.proxyHeader().isEmpty()) {
                // First in the engine's pipeline, before Tomcat's RemoteIpValve replaces the peer with the
                // forwarded client address: the proxy-header is believed only from the proxies' own addresses.
                List<org.apache.catalina.Valve> valves = new java.util.ArrayList<>(factory.getEngineValves());
                valves.add(0, new PeerValve());
                factory.setEngineValves(valves);
            }
            if (properties.httpsPort() < 0) {
                return;
            }
            char[] password = new char[0];
            KeyStore keyStore;
            try {
                if (!properties.httpsKeystore().isEmpty()) {
                    password = properties.httpsKeystorePassword() == null ? password
                            : properties.httpsKeystorePassword().toCharArray();
                    keyStore = KeyStore.getInstance("PKCS12");
                    try (var in = Files.newInputStream(Path.of(properties.httpsKeystore()))) {
                        keyStore.load(in, password);
                    }
                } else {
                    BankCa.Loaded generated = serverCertificate(Path.of(dataDir).resolve(GENERATED_FILE), clock);
                    keyStore = KeyStore.getInstance("PKCS12");
                    keyStore.load(null, null);
                    keyStore.setKeyEntry("kagi", generated.key(), password, new Certificate[] {generated.certificate()});
                }
                String alias = keyStore.aliases().nextElement();
                endpoint.fingerprint = fingerprint((X509Certificate) keyStore.getCertificate(alias));
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("Cannot set up the HTTPS connector: " + e.getMessage(), e);
            }
            Connector connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
            connector.setPort(properties.httpsPort());
            connector.setScheme("https");
            connector.setSecure(true);
            connector.setProperty("SSLEnabled", "true");
            connector.setProperty("kagiOrigin", ORIGIN);
            connector.setProperty("maxThreads", "16");
            InetAddress address = server.getAddress();
            if (address != null) {
                connector.setProperty("address", address.getHostAddress());
            }
            SSLHostConfig ssl = new SSLHostConfig();
            // "want", from any CA: the application checks the certificate and explains a refusal on a page.
            ssl.setCertificateVerification("optional_no_ca");
            ssl.setTrustManagerClassName(AnyClientCertificate.class.getName());
            ssl.setProtocols("TLSv1.2+TLSv1.3");
            SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(ssl, SSLHostConfigCertificate.Type.UNDEFINED);
            certificate.setCertificateKeystore(keyStore);
            certificate.setCertificateKeystorePassword(new String(password));
            ssl.addCertificate(certificate);
            connector.addSslHostConfig(ssl);
            factory.addAdditionalConnectors(connector);
        };
    }

    /**
     * No HSTS from the embedded default's self-signed HTTPS port: browsers keep HSTS per host name, whatever the
     * port, so one visit to https://localhost:8443 would send every later http://localhost:8080 (the portal, the
     * mailbox) to HTTPS. With the bank's own keystore (production) the header stays.
     */
    @Bean
    org.springframework.boot.web.servlet.FilterRegistrationBean<jakarta.servlet.Filter> noHstsOnTheTrialHttpsPort(
            CertificateProperties properties, HttpsEndpoint endpoint) {
        jakarta.servlet.Filter filter = (request, response, chain) -> {
            if (properties.httpsKeystore().isEmpty() && request.isSecure() && request.getLocalPort() == endpoint.port
                    && response instanceof jakarta.servlet.http.HttpServletResponse http) {
                chain.doFilter(request, new jakarta.servlet.http.HttpServletResponseWrapper(http) {
                    @Override
                    public void setHeader(String name, String value) {
                        if (!"Strict-Transport-Security".equalsIgnoreCase(name)) {
                            super.setHeader(name, value);
                        }
                    }

                    @Override
                    public void addHeader(String name, String value) {
                        if (!"Strict-Transport-Security".equalsIgnoreCase(name)) {
                            super.addHeader(name, value);
                        }
                    }
                });
                return;
            }
            chain.doFilter(request, response);
        };
        org.springframework.boot.web.servlet.FilterRegistrationBean<jakarta.servlet.Filter> registration =
                new org.springframework.boot.web.servlet.FilterRegistrationBean<>(filter);
        // After the platform's first filters (origin separation, request bodies), before Spring Security's (-100).
        registration.setOrder(-200);
        return registration;
    }

    @Bean
    ApplicationListener<WebServerInitializedEvent> httpsPort(HttpsEndpoint endpoint) {
        return event -> {
            if (!(event.getWebServer() instanceof TomcatWebServer tomcat)
                    || "management".equals(event.getApplicationContext().getServerNamespace())) {
                return;
            }
            for (Connector connector : tomcat.getTomcat().getService().findConnectors()) {
                if (ORIGIN.equals(connector.getProperty("kagiOrigin"))) {
                    endpoint.port = connector.getLocalPort();
                }
            }
        };
    }

    private static BankCa.Loaded serverCertificate(Path file, Clock clock) throws GeneralSecurityException, IOException {
        if (Files.exists(file)) {
            BankCa.Loaded loaded = BankCa.load(file, null);
            if (loaded.certificate().getNotAfter().toInstant().isAfter(clock.instant().plus(Duration.ofDays(7)))) {
                return loaded;
            }
            Files.delete(file);
        }
        KeyPair pair = BankCa.newP256KeyPair();
        X509Certificate certificate = BankCa.selfSigned(pair,
                new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, "localhost").build(), clock.instant(),
                Duration.ofDays(825), false, "localhost", "127.0.0.1");
        BankCa.writeKeyAndCertificate(file, pair.getPrivate(), certificate);
        log.warn("Generated a self-signed HTTPS server certificate for localhost in {} (a local trial only; browsers warn "
                + "until it is trusted). Production gives its own (KAGI_HTTPS_KEYSTORE) or terminates TLS in a proxy.",
                file.toAbsolutePath());
        return new BankCa.Loaded(pair.getPrivate(), certificate);
    }

    /** Remembers the TCP peer of each request ({@link PresentedCertificates}). */
    static final class PeerValve extends org.apache.catalina.valves.ValveBase {

        PeerValve() {
            super(true);
        }

        @Override
        public void invoke(org.apache.catalina.connector.Request request, org.apache.catalina.connector.Response response)
                throws IOException, jakarta.servlet.ServletException {
            request.setAttribute(PresentedCertificates.PEER_ATTRIBUTE, request.getRemoteAddr());
            getNext().invoke(request, response);
        }
    }

    static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

}
