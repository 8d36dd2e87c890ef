package io.kagi.activation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.HexFormat;

import org.bouncycastle.crypto.agreement.srp.SRP6Client;
import org.bouncycastle.crypto.agreement.srp.SRP6Server;
import org.bouncycastle.crypto.agreement.srp.SRP6StandardGroups;
import org.bouncycastle.crypto.agreement.srp.SRP6Util;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SrpExchangeTests {

    private static final String IDENTITY = Srp6a.identity("12345678", "012345");
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void randomExchangesAgreeOnTheSeed() {
        byte[] salt = SrpServer.newSalt();
        SrpServer server = new SrpServer(IDENTITY, salt, SrpServer.verifier(IDENTITY, "4711".toCharArray(), salt),
                SrpServer.newPrivateValue());
        SrpClient client = new SrpClient(IDENTITY, "4711".toCharArray());

        String proof = client.respond(HEX.formatHex(salt), server.serverPublicHex());
        SrpServer.Confirmation confirmation = server.verify(client.clientPublicHex(), HEX.parseHex(proof)).orElseThrow();

        assertThat(client.confirmsServer(HEX.formatHex(confirmation.serverProof()))).isTrue();
        assertThat(client.deriveSeed(TokenParameters.defaults()))
                .hasSize(32)
                .isEqualTo(confirmation.deriveSeed(TokenParameters.defaults()))
                .isNotEqualTo(confirmation.deriveSeed(new TokenParameters("SHA256", 8, 60)));
    }

    @Test
    void clientRefusesAServerThatDoesNotKnowTheVerifier() {
        byte[] salt = SrpServer.newSalt();
        SrpServer impostor = new SrpServer(IDENTITY, salt, SrpServer.verifier(IDENTITY, "0000".toCharArray(), salt),
                SrpServer.newPrivateValue());
        SrpClient client = new SrpClient(IDENTITY, "4711".toCharArray());
        client.respond(HEX.formatHex(salt), impostor.serverPublicHex());

        assertThat(client.confirmsServer(HEX.formatHex(new byte[32]))).isFalse();
        assertThatIllegalStateException().isThrownBy(() -> client.deriveSeed(TokenParameters.defaults()));
    }

    @Test
    void refusesPublicValuesThatAreZeroModuloN() {
        SrpClient client = new SrpClient(IDENTITY, "4711".toCharArray());
        byte[] salt = SrpServer.newSalt();
        SrpServer server = new SrpServer(IDENTITY, salt, SrpServer.verifier(IDENTITY, "4711".toCharArray(), salt),
                SrpServer.newPrivateValue());

        assertThatThrownBy(() -> client.respond(HEX.formatHex(salt), Srp6a.hex(BigInteger.ZERO)))
                .isInstanceOf(ActivationProtocolException.class);
        assertThatThrownBy(() -> server.verify(Srp6a.hex(BigInteger.ZERO), new byte[32]))
                .isInstanceOf(ActivationProtocolException.class);
        assertThatThrownBy(() -> server.verify("ff".repeat(256), new byte[32]))
                .isInstanceOf(ActivationProtocolException.class);
    }

    @ParameterizedTest(name = "password \"{0}\" accepted: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            123       | false
            1234      | true
            12345678  | true
            123456789 | false
            12a4      | false
            '1234 '   | false
            １２３４  | false
            """)
    void acceptsOnlyFourToEightAsciiDigitPasswords(String password, boolean accepted) {
        if (accepted) {
            assertThat(new SrpClient(IDENTITY, password.toCharArray()).clientPublicHex()).hasSize(2 * Srp6a.LENGTH);
        } else {
            assertThatIllegalArgumentException().isThrownBy(() -> new SrpClient(IDENTITY, password.toCharArray()));
        }
    }

    @ParameterizedTest(name = "サービスID \"{0}\", ユーザID \"{1}\" accepted: {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            12345678  | 012345  | true
            1234567   | 012345  | false
            123456789 | 012345  | false
            12345678  | 01234   | false
            12345678  | 0123456 | false
            1234567a  | 012345  | false
            12345678  | 01234x  | false
            """)
    void identityIsAnEightDigitServiceIdAndASixDigitUserId(String serviceId, String userId, boolean accepted) {
        if (accepted) {
            assertThat(Srp6a.identity(serviceId, userId)).isEqualTo(serviceId + ":" + userId);
        } else {
            assertThatIllegalArgumentException().isThrownBy(() -> Srp6a.identity(serviceId, userId));
        }
    }

    /** Our x, k, u and S are the ones BouncyCastle's SRP-6a computes for the same inputs. */
    @Test
    void agreesWithBouncyCastleOnXKUAndThePremasterSecret() throws Exception {
        byte[] salt = SrpServer.newSalt();
        byte[] identity = IDENTITY.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] password = "12345678".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        BigInteger n = SRP6StandardGroups.rfc5054_2048.getN();
        BigInteger g = SRP6StandardGroups.rfc5054_2048.getG();

        BigInteger x = SRP6Util.calculateX(new SHA256Digest(), n, salt, identity, password);
        assertThat(Srp6a.x(IDENTITY, "12345678".toCharArray(), salt)).isEqualTo(x);
        assertThat(Srp6a.k()).isEqualTo(SRP6Util.calculateK(new SHA256Digest(), n, g));

        SRP6Client bcClient = new SRP6Client();
        bcClient.init(SRP6StandardGroups.rfc5054_2048, new SHA256Digest(), new java.security.SecureRandom());
        SRP6Server bcServer = new SRP6Server();
        BigInteger v = Srp6a.verifier(IDENTITY, "12345678".toCharArray(), salt);
        bcServer.init(SRP6StandardGroups.rfc5054_2048, v, new SHA256Digest(), new java.security.SecureRandom());
        BigInteger clientPublic = bcClient.generateClientCredentials(salt, identity, password);
        BigInteger serverPublic = bcServer.generateServerCredentials();
        BigInteger clientSecret = bcClient.calculateSecret(serverPublic);
        BigInteger serverSecret = bcServer.calculateSecret(clientPublic);

        assertThat(SRP6Util.calculateU(new SHA256Digest(), n, clientPublic, serverPublic))
                .isEqualTo(Srp6a.u(clientPublic, serverPublic));
        assertThat(clientSecret).isEqualTo(serverSecret);
    }
}
