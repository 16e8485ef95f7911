package dev.quarry.iscsi.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.iscsi.pdu.LoginStatus;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChapAuthenticatorTest {

    /** The challenge tgtd sent in /work/shared/traces/chap-login (CHAP_I=1). */
    private static final String TRACE_CHALLENGE = "13874faa1f5084a4b4f5a5bb7ecc97a28048badf1491dac1be8208a7f072b1cd0df8781f"
            + "5b327e50e02fe45583db963a0537";

    private static final ChapCredentials ONE_WAY = ChapCredentials.of("quarryuser", "chapsecret1234");
    private static final ChapCredentials MUTUAL = ChapCredentials.mutual("quarryuser", "chapsecret1234", "quarrytarget",
            "targetsecret5678");

    @Test
    void shouldComputeTheResponseLibiscsiSentInTheTrace() {
        byte[] response = ChapAuthenticator.response(1, "chapsecret1234".getBytes(StandardCharsets.UTF_8),
                HexFormat.of().parseHex(TRACE_CHALLENGE));
        assertThat(HexFormat.of().withUpperCase().formatHex(response)).isEqualTo("81BAF90AB26C7DA438B2B1A9A602FD9A");
    }

    @Test
    void shouldIssueFreshIdentifierAndSixteenByteChallenge() throws LoginException {
        ChapAuthenticator chap = new ChapAuthenticator(ONE_WAY, new Random(7));
        Map<String, String> challenge = asMap(chap.challenge("7,5"));
        assertThat(challenge.get("CHAP_A")).isEqualTo("5");
        assertThat(Integer.parseInt(challenge.get("CHAP_I"))).isBetween(0, 255);
        assertThat(challenge.get("CHAP_C")).startsWith("0x").hasSize(2 + 32);
    }

    @Test
    void shouldAcceptCorrectResponseInHexOrBase64() throws LoginException {
        for (boolean base64 : new boolean[] {false, true}) {
            ChapAuthenticator chap = new ChapAuthenticator(ONE_WAY, new Random(1));
            Map<String, String> challenge = asMap(chap.challenge("5"));
            byte[] response = respond(challenge, "chapsecret1234");
            String encoded = base64 ? "0b" + java.util.Base64.getEncoder().encodeToString(response)
                    : "0X" + HexFormat.of().withUpperCase().formatHex(response);
            assertThat(chap.verify(Map.of("CHAP_N", "quarryuser", "CHAP_R", encoded))).isEmpty();
        }
    }

    @Test
    void shouldRefuseWrongSecret() throws LoginException {
        ChapAuthenticator chap = new ChapAuthenticator(ONE_WAY, new Random(2));
        Map<String, String> challenge = asMap(chap.challenge("5"));
        String response = ChapValues.hex(respond(challenge, "wrongsecret12"));
        assertThatThrownBy(() -> chap.verify(Map.of("CHAP_N", "quarryuser", "CHAP_R", response)))
                .isInstanceOfSatisfying(LoginException.class, e -> assertThat(e.status()).isEqualTo(LoginStatus.AUTHENTICATION_FAILURE));
    }

    @Test
    void shouldRefuseUnknownName() throws LoginException {
        ChapAuthenticator chap = new ChapAuthenticator(ONE_WAY, new Random(3));
        Map<String, String> challenge = asMap(chap.challenge("5"));
        String response = ChapValues.hex(respond(challenge, "chapsecret1234"));
        assertThatThrownBy(() -> chap.verify(Map.of("CHAP_N", "someoneelse", "CHAP_R", response)))
                .isInstanceOfSatisfying(LoginException.class, e -> assertThat(e.status()).isEqualTo(LoginStatus.AUTHENTICATION_FAILURE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"55", "5x", "", "7", "6,7,8", "05", " 5"})
    void shouldNeverTreatAnotherAlgorithmAsMd5(String algorithms) {
        ChapAuthenticator chap = new ChapAuthenticator(ONE_WAY, new Random(4));
        assertThatThrownBy(() -> chap.challenge(algorithms))
                .isInstanceOfSatisfying(LoginException.class, e -> assertThat(e.status()).isEqualTo(LoginStatus.AUTHENTICATION_FAILURE));
    }

    @ParameterizedTest(name = "CHAP_R={0} -> {1}")
    @CsvSource({"0x,INITIATOR_ERROR", "0xABC,INITIATOR_ERROR", "0xZZ,INITIATOR_ERROR", "0b,INITIATOR_ERROR",
        "0b!!!!,INITIATOR_ERROR", "1234,INITIATOR_ERROR", "0x00112233,AUTHENTICATION_FAILURE"})
    void shouldRefuseMalformedOrMissizedResponse(String response, LoginStatus status) throws LoginException {
        ChapAuthenticator chap = new ChapAuthenticator(ONE_WAY, new Random(5));
        chap.challenge("5");
        assertThatThrownBy(() -> chap.verify(Map.of("CHAP_N", "quarryuser", "CHAP_R", response)))
                .isInstanceOfSatisfying(LoginException.class, e -> assertThat(e.status()).isEqualTo(status));
    }

    @Test
    void shouldRefuseFourKilobyteHexResponseWithoutOverflow() throws LoginException {
        ChapAuthenticator chap = new ChapAuthenticator(ONE_WAY, new Random(6));
        chap.challenge("5");
        assertThatThrownBy(() -> chap.verify(Map.of("CHAP_N", "quarryuser", "CHAP_R", "0x" + "ab".repeat(2048))))
                .isInstanceOfSatisfying(LoginException.class, e -> assertThat(e.status()).isEqualTo(LoginStatus.INITIATOR_ERROR));
    }

    @Test
    void shouldAnswerMutualChallenge() throws LoginException {
        ChapAuthenticator chap = new ChapAuthenticator(MUTUAL, new Random(8));
        Map<String, String> challenge = asMap(chap.challenge("5"));
        byte[] initiatorChallenge = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
        Map<String, String> answer = asMap(chap.verify(Map.of("CHAP_N", "quarryuser",
                "CHAP_R", ChapValues.hex(respond(challenge, "chapsecret1234")), "CHAP_I", "0x0a",
                "CHAP_C", ChapValues.hex(initiatorChallenge))));
        byte[] expected = ChapAuthenticator.response(10, "targetsecret5678".getBytes(StandardCharsets.UTF_8), initiatorChallenge);
        assertThat(answer).containsEntry("CHAP_N", "quarrytarget").containsEntry("CHAP_R", ChapValues.hex(expected));
    }

    @Test
    void shouldRefuseReflectedChallenge() throws LoginException {
        ChapAuthenticator chap = new ChapAuthenticator(MUTUAL, new Random(9));
        Map<String, String> challenge = asMap(chap.challenge("5"));
        assertThatThrownBy(() -> chap.verify(Map.of("CHAP_N", "quarryuser",
                "CHAP_R", ChapValues.hex(respond(challenge, "chapsecret1234")), "CHAP_I", "1", "CHAP_C", challenge.get("CHAP_C"))))
                .isInstanceOfSatisfying(LoginException.class, e -> {
                    assertThat(e.status()).isEqualTo(LoginStatus.AUTHENTICATION_FAILURE);
                    assertThat(e.getMessage()).contains("reflect");
                });
    }

    @ParameterizedTest(name = "CHAP_I={0} CHAP_C={1}")
    @CsvSource({"256,0x0011", "-1,0x0011", "0x100,0x0011", "abc,0x0011", "1,0x", "1,0xABC"})
    void shouldRefuseMalformedMutualChallenge(String id, String mutualChallenge) throws LoginException {
        ChapAuthenticator chap = new ChapAuthenticator(MUTUAL, new Random(10));
        Map<String, String> challenge = asMap(chap.challenge("5"));
        assertThatThrownBy(() -> chap.verify(Map.of("CHAP_N", "quarryuser",
                "CHAP_R", ChapValues.hex(respond(challenge, "chapsecret1234")), "CHAP_I", id, "CHAP_C", mutualChallenge)))
                .isInstanceOfSatisfying(LoginException.class, e -> assertThat(e.status()).isEqualTo(LoginStatus.INITIATOR_ERROR));
    }

    @Test
    void shouldRefuseMutualChallengeLongerThan1024Bytes() throws LoginException {
        ChapAuthenticator chap = new ChapAuthenticator(MUTUAL, new Random(11));
        Map<String, String> challenge = asMap(chap.challenge("5"));
        assertThatThrownBy(() -> chap.verify(Map.of("CHAP_N", "quarryuser",
                "CHAP_R", ChapValues.hex(respond(challenge, "chapsecret1234")), "CHAP_I", "1",
                "CHAP_C", "0x" + "01".repeat(1025))))
                .isInstanceOfSatisfying(LoginException.class, e -> assertThat(e.status()).isEqualTo(LoginStatus.INITIATOR_ERROR));
    }

    @Test
    void shouldRefuseMutualRequestWithoutTargetCredentials() throws LoginException {
        ChapAuthenticator chap = new ChapAuthenticator(ONE_WAY, new Random(12));
        Map<String, String> challenge = asMap(chap.challenge("5"));
        assertThatThrownBy(() -> chap.verify(Map.of("CHAP_N", "quarryuser",
                "CHAP_R", ChapValues.hex(respond(challenge, "chapsecret1234")), "CHAP_I", "3", "CHAP_C", "0x0102030405060708")))
                .isInstanceOfSatisfying(LoginException.class, e -> assertThat(e.status()).isEqualTo(LoginStatus.AUTHENTICATION_FAILURE));
    }

    @Test
    void shouldRefuseWeakOrSharedSecretsAtConfiguration() {
        assertThatThrownBy(() -> ChapCredentials.of("u", "elevenchars")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChapCredentials.mutual("u", "chapsecret1234", "t", "chapsecret1234"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("differ");
        assertThat(ChapCredentials.of("u", "twelve chars")).hasToString("ChapCredentials[user=u]");
    }

    @ParameterizedTest(name = "CHAP_I={0} -> {1}")
    @CsvSource({"0,0", "255,255", "0x0a,10", "0XFF,255", "0b/w==,255"})
    void shouldParseIdentifiersStrictly(String value, int expected) throws LoginException {
        assertThat(ChapValues.number("CHAP_I", value, 255)).isEqualTo(expected);
    }

    static byte[] respond(Map<String, String> challenge, String secret) {
        return ChapAuthenticator.response(Integer.parseInt(challenge.get("CHAP_I")), secret.getBytes(StandardCharsets.UTF_8),
                HexFormat.of().parseHex(challenge.get("CHAP_C").substring(2)));
    }

    static Map<String, String> asMap(List<KeyValue> keys) {
        Map<String, String> map = new LinkedHashMap<>();
        keys.forEach(kv -> map.put(kv.key(), kv.value()));
        return map;
    }
}
