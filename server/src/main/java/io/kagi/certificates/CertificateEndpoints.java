package io.kagi.certificates;

import io.kagi.platform.SecurityHeaders;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What anyone may fetch: the CRL ({@code /certificates/crl}, DER, as the certificates' CRL distribution point
 * names it) and the bank CA's certificate ({@code /certificates/ca.pem}) — for a TLS-terminating proxy, an
 * auditor, or a relying party that checks the certificates itself.
 */
@RestController
class CertificateEndpoints {

    private final ClientCertificates certificates;

    CertificateEndpoints(ClientCertificates certificates) {
        this.certificates = certificates;
    }

    @GetMapping("/certificates/crl")
    ResponseEntity<byte[]> crl() {
        if (!certificates.enabled()) {
            return ResponseEntity.notFound().build();
        }
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/pkix-crl"))
                .cacheControl(CacheControl.noCache()).body(certificates.crl());
    }

    @GetMapping("/certificates/ca.pem")
    ResponseEntity<String> ca() {
        if (!certificates.enabled()) {
            return ResponseEntity.notFound().build();
        }
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/x-pem-file"))
                .body(certificates.caPem());
    }

    @Configuration(proxyBeanMethods = false)
    static class Security {

        /** Public, read-only, stateless: no session, no CSRF token (nothing is posted here). */
        @Bean
        @Order(15)
        SecurityFilterChain certificateEndpointsChain(HttpSecurity http) throws Exception {
            http.securityMatcher("/certificates/**")
                    .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                    .csrf(csrf -> csrf.disable())
                    .requestCache(cache -> cache.disable())
                    .securityContext(context -> context.disable())
                    .sessionManagement(sessions -> sessions.disable())
                    .headers(SecurityHeaders.standard());
            return http.build();
        }
    }
}
