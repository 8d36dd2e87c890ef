package io.kagi.session;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.mail.internet.InternetAddress;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.csrf.DefaultCsrfToken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionAttributesTests {

    private final SessionAttributes attributes = new SessionAttributes(getClass().getClassLoader());

    @Test
    void theSecurityContextCsrfTokenAndJdkValuesComeBackEqual() {
        Map<String, Object> session = new HashMap<>();
        session.put("SPRING_SECURITY_CONTEXT", new SecurityContextImpl(UsernamePasswordAuthenticationToken.authenticated(
                "user", null, List.of(new SimpleGrantedAuthority("ROLE_USER")))));
        session.put("csrf", new DefaultCsrfToken("X-CSRF-TOKEN", "_csrf", "token"));
        session.put("at", Instant.parse("2026-11-24T00:00:00Z"));
        session.put("locale", Locale.JAPANESE);
        session.put("bytes", new byte[] {1, 2, 3});

        Map<String, Object> read = attributes.read(attributes.write(session));

        assertThat(read).containsOnlyKeys(session.keySet());
        assertThat(read.get("at")).isEqualTo(Instant.parse("2026-11-24T00:00:00Z"));
        assertThat(((SecurityContextImpl) read.get("SPRING_SECURITY_CONTEXT")).getAuthentication().getName()).isEqualTo("user");
        assertThat((byte[]) read.get("bytes")).containsExactly(1, 2, 3);
    }

    @Test
    void classesOutsideTheJdkSpringAndKagiAreRefusedOnRead() throws Exception {
        Map<String, Object> session = new HashMap<>();
        session.put("address", new InternetAddress("a@example.com"));
        byte[] stored = attributes.write(session);

        assertThatThrownBy(() -> attributes.read(stored)).isInstanceOf(SessionAttributes.UnreadableSession.class);
    }
}
