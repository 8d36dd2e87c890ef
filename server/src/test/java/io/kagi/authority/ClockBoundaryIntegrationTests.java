package io.kagi.authority;

import static io.kagi.authority.AuthorityTestSupport.PORTAL;
import static io.kagi.authority.AuthorityTestSupport.issue;
import static io.kagi.authority.AuthorityTestSupport.newService;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.MutableClock;
import io.kagi.test.TestTokenDevice;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * The server's clock at a step boundary and moved by one step (60-second steps, window ±1): codes
 * typed just before a boundary still pass just after it, a clock one step off either way still
 * accepts, two steps off refuses, and a clock moved back never lets a used code pass again.
 */
@KagiIntegrationTest
@Import(AuthorityTestSupport.ClockConfig.class)
@TestPropertySource(properties = "kagi.authority.activation.per-address-per-hour=30")
class ClockBoundaryIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    Tokens tokens;

    @Autowired
    Services services;

    @Autowired
    MutableClock clock;

    @Autowired
    JdbcClient jdbc;

    ServiceId service;
    AccountRef account = new AccountRef("clock-1");
    TestTokenDevice device;
    Instant boundary;

    @BeforeEach
    void activeTokenAndTheNextStepBoundary() {
        clock.advance(Duration.ofMinutes(10));
        jdbc.sql("DELETE FROM authority_rate_bucket").update();
        service = newService(services, ServicePolicy.defaults());
        IssueResult.Issued issued = issue(tokens, service, account, "60606060");
        device = TestTokenDevice.activate("http://localhost:" + port, service.digits(), issued.userId().digits(), "60606060");
        long seconds = clock.instant().getEpochSecond();
        boundary = Instant.ofEpochSecond((seconds / 60 + 1) * 60);
    }

    @Test
    void aCodeReadInTheLastMillisecondOfItsStepPassesInTheFirstOfTheNext() {
        String lastMoment = device.codeAt(boundary.minusMillis(1));
        clock.set(boundary);

        assertThat(device.codeAt(boundary)).isNotEqualTo(lastMoment);
        assertThat(tokens.verify(service, account, lastMoment, PORTAL)).isInstanceOf(VerificationResult.Accepted.class);
    }

    @Test
    void theStepChangesExactlyAtTheBoundary() {
        clock.set(boundary.minusMillis(1));
        long before = ((VerificationResult.Accepted) tokens.verify(service, account, device.codeAt(boundary.minusMillis(1)),
                PORTAL)).step();
        clock.set(boundary);
        long after = ((VerificationResult.Accepted) tokens.verify(service, account, device.codeAt(boundary), PORTAL)).step();

        assertThat(after).isEqualTo(before + 1).isEqualTo(boundary.getEpochSecond() / 60);
    }

    @Test
    void aServerClockOneStepAheadOrBehindStillAcceptsButTwoStepsRefuse() {
        Instant phone = boundary.plusSeconds(30);

        clock.set(phone.plusSeconds(60));
        assertThat(tokens.verify(service, account, device.codeAt(phone), PORTAL))
                .as("server one step ahead of the phone").isInstanceOf(VerificationResult.Accepted.class);
        Instant phoneLater = phone.plusSeconds(120);
        clock.set(phoneLater.minusSeconds(60));
        assertThat(tokens.verify(service, account, device.codeAt(phoneLater), PORTAL))
                .as("server one step behind the phone").isInstanceOf(VerificationResult.Accepted.class);
        Instant phoneLast = phone.plusSeconds(240);
        clock.set(phoneLast.plusSeconds(120));
        assertThat(tokens.verify(service, account, device.codeAt(phoneLast), PORTAL))
                .as("server two steps ahead").isInstanceOf(VerificationResult.Rejected.class);
    }

    @Test
    void aClockMovedBackOneStepDoesNotLetAUsedCodePassAgain() {
        clock.set(boundary.plusSeconds(10));
        String code = device.codeAt(clock.instant());
        assertThat(tokens.verify(service, account, code, PORTAL)).isInstanceOf(VerificationResult.Accepted.class);

        clock.set(boundary.minusSeconds(50));

        assertThat(tokens.verify(service, account, code, PORTAL)).as("replayed after the clock went back")
                .isInstanceOf(VerificationResult.AlreadyUsed.class);
        assertThat(tokens.verify(service, account, device.codeAt(clock.instant()), PORTAL))
                .as("the code of an earlier step than the last accepted one").isInstanceOf(VerificationResult.AlreadyUsed.class);
        clock.set(boundary.plusSeconds(70));
        assertThat(tokens.verify(service, account, device.codeAt(clock.instant()), PORTAL))
                .as("the next step's code, once the clock is right again").isInstanceOf(VerificationResult.Accepted.class);
    }
}
