package io.kagi.activation;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Optional;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz tests (Jazzer) of the activation messages each side reads from the network: the
 * authority reads {@code A} and {@code M1} from the token app, the app reads the salt, {@code B}
 * and {@code M2} from the authority. The contract: a malformed value is refused with
 * {@link ActivationProtocolException} (never another exception), and no value an attacker can
 * choose without the password makes either side accept.
 *
 * <p>Regression inputs: {@code src/test/resources/io/kagi/activation/ActivationMessageFuzzTestsInputs/}.
 * A fuzzing run: {@code JAZZER_FUZZ=1 ./mvnw -pl otp-core,activation-protocol test
 * -Dtest='ActivationMessageFuzzTests#authorityReadsTheAppsMessages' -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ActivationMessageFuzzTests {

    private static final String IDENTITY = Srp6a.identity("12345678", "654321");
    private static final byte[] SALT = HexFormat.of().parseHex("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    private static final byte[] VERIFIER = SrpServer.verifier(IDENTITY, "4649".toCharArray(), SALT);
    private static final byte[] SERVER_PRIVATE = HexFormat.of().parseHex("2f3e4d5c6b7a89980123456789abcdef0123456789abcdef0123456789abcdef");

    @FuzzTest(maxDuration = "10s")
    void authorityReadsTheAppsMessages(FuzzedDataProvider data) {
        SrpServer server = new SrpServer(IDENTITY, SALT, VERIFIER, SERVER_PRIVATE);
        String clientPublic = switch (data.consumeInt(0, 3)) {
            case 0 -> data.consumeString(600);
            // A well-formed 512-digit value of the attacker's choice, including 0 and values at or above N.
            case 1 -> HexFormat.of().formatHex(Srp6a.pad(new BigInteger(1, data.consumeBytes(Srp6a.LENGTH)).mod(Srp6a.N)));
            case 2 -> HexFormat.of().formatHex(Srp6a.pad(Srp6a.N.subtract(BigInteger.valueOf(data.consumeInt(0, 3)))))
                    .substring(0, 2 * Srp6a.LENGTH);
            default -> Srp6a.hex(Srp6a.N.multiply(BigInteger.valueOf(data.consumeInt(0, 2))).mod(Srp6a.N).max(BigInteger.ONE));
        };
        byte[] clientProof = data.consumeRemainingAsBytes();
        Optional<SrpServer.Confirmation> confirmation;
        try {
            confirmation = server.verify(clientPublic, clientProof);
        } catch (ActivationProtocolException refused) {
            return;
        }
        assertThat(confirmation).as("a proof made without the password").isEmpty();
    }

    @FuzzTest(maxDuration = "10s")
    void appReadsTheAuthoritysMessages(FuzzedDataProvider data) {
        SrpClient client = SrpClient.withPrivateValue(IDENTITY, "4649".toCharArray(),
                HexFormat.of().parseHex("60975527035cf2ad1989806f0407210bc81edc04e2762a56afd529ddda2d4393"));
        String salt = data.consumeBoolean() ? data.consumeString(200) : HexFormat.of().formatHex(data.consumeBytes(70));
        String serverPublic = data.consumeBoolean()
                ? data.consumeString(600)
                : HexFormat.of().formatHex(Srp6a.pad(new BigInteger(1, data.consumeBytes(Srp6a.LENGTH)).mod(Srp6a.N)));
        String serverProof = data.consumeRemainingAsString();
        try {
            String clientProof = client.respond(salt, serverPublic);
            assertThat(clientProof).matches("[0-9a-f]{64}");
        } catch (ActivationProtocolException refused) {
            return;
        }
        assertThat(client.confirmsServer(serverProof)).as("a server proof made without the verifier").isFalse();
    }

    @FuzzTest(maxDuration = "10s")
    void tokenParametersFromTheAuthority(FuzzedDataProvider data) {
        String algorithm = data.consumeString(10);
        int digits = data.consumeInt();
        int period = data.consumeInt();
        TokenParameters parameters;
        try {
            parameters = new TokenParameters(algorithm, digits, period);
        } catch (IllegalArgumentException refused) {
            return;
        }
        assertThat(parameters.seedBytes()).isIn(20, 32, 64);
        assertThat(parameters.canonical()).isEqualTo(algorithm + ":" + digits + ":" + period);
    }
}
