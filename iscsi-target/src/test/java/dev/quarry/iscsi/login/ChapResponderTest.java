package dev.quarry.iscsi.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.iscsi.pdu.LoginStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The initiator side of CHAP, checked against the target side ({@link ChapAuthenticator}) it must satisfy. */
class ChapResponderTest {

    private static final ChapCredentials ONE_WAY = ChapCredentials.of("node1", "initiator-secret-1");
    private static final ChapCredentials MUTUAL = ChapCredentials.mutual("node1", "initiator-secret-1", "array7",
            "target-secret-22");

    @Test
    void shouldSatisfyTheTargetInOneWayChap() throws LoginException {
        ChapAuthenticator target = new ChapAuthenticator(ONE_WAY, new Random(1));
        ChapResponder initiator = new ChapResponder(ONE_WAY, new Random(2));
        List<KeyValue> answer = initiator.respond(asMap(target.challenge(initiator.offer().get(0).value())));
        assertThat(answer).extracting(KeyValue::key).containsExactly(TextKey.CHAP_N, TextKey.CHAP_R);
        assertThat(target.verify(asMap(answer))).isEmpty();
    }

    @Test
    void shouldVerifyTheTargetInMutualChap() throws LoginException {
        ChapAuthenticator target = new ChapAuthenticator(MUTUAL, new Random(3));
        ChapResponder initiator = new ChapResponder(MUTUAL, new Random(4));
        List<KeyValue> answer = initiator.respond(asMap(target.challenge("5")));
        assertThat(answer).extracting(KeyValue::key).containsExactly(TextKey.CHAP_N, TextKey.CHAP_R, TextKey.CHAP_I,
                TextKey.CHAP_C);
        initiator.verify(asMap(target.verify(asMap(answer))));
    }

    @Test
    void shouldRefuseATargetThatDoesNotKnowTheTargetSecret() throws LoginException {
        ChapCredentials impostor = ChapCredentials.mutual("node1", "initiator-secret-1", "array7", "guessed-secret-33");
        ChapAuthenticator target = new ChapAuthenticator(impostor, new Random(5));
        ChapResponder initiator = new ChapResponder(MUTUAL, new Random(6));
        List<KeyValue> answer = initiator.respond(asMap(target.challenge("5")));
        Map<String, String> reply = asMap(target.verify(asMap(answer)));
        assertThatThrownBy(() -> initiator.verify(reply)).isInstanceOf(LoginException.class)
                .satisfies(e -> assertThat(((LoginException) e).status()).isEqualTo(LoginStatus.AUTHENTICATION_FAILURE))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret-"));
    }

    @Test
    void shouldRefuseAMissingOrWrongTargetAnswer() throws LoginException {
        ChapResponder initiator = new ChapResponder(MUTUAL, new Random(7));
        initiator.respond(Map.of(TextKey.CHAP_A, "5", TextKey.CHAP_I, "1", TextKey.CHAP_C, "0x0102030405060708"));
        assertThatThrownBy(() -> initiator.verify(Map.of(TextKey.CHAP_N, "array7"))).isInstanceOf(LoginException.class);
        ChapResponder again = new ChapResponder(MUTUAL, new Random(7));
        again.respond(Map.of(TextKey.CHAP_A, "5", TextKey.CHAP_I, "1", TextKey.CHAP_C, "0x0102030405060708"));
        assertThatThrownBy(() -> again.verify(Map.of(TextKey.CHAP_N, "array7", TextKey.CHAP_R, "0x00")))
                .isInstanceOf(LoginException.class);
    }

    @Test
    void shouldRefuseAlgorithmsOtherThanMd5AndMalformedChallenges() {
        ChapResponder initiator = new ChapResponder(ONE_WAY, new Random(8));
        assertThatThrownBy(() -> initiator.respond(Map.of(TextKey.CHAP_A, "7", TextKey.CHAP_I, "1", TextKey.CHAP_C, "0x01")))
                .isInstanceOf(LoginException.class);
        assertThatThrownBy(() -> initiator.respond(Map.of(TextKey.CHAP_A, "5", TextKey.CHAP_I, "256", TextKey.CHAP_C, "0x01")))
                .isInstanceOf(LoginException.class);
        assertThatThrownBy(() -> initiator.respond(Map.of(TextKey.CHAP_A, "5", TextKey.CHAP_I, "1", TextKey.CHAP_C, "0xABC")))
                .isInstanceOf(LoginException.class);
        assertThatThrownBy(() -> initiator.respond(Map.of(TextKey.CHAP_A, "5", TextKey.CHAP_I, "1")))
                .isInstanceOf(LoginException.class);
    }

    @Test
    void shouldNeverSendTheTargetsOwnChallengeBack() throws LoginException {
        byte[] targetChallenge = new byte[16];
        RandomGenerator echo = new RandomGenerator() {
            private int calls;

            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public void nextBytes(byte[] bytes) {
                java.util.Arrays.fill(bytes, (byte) (calls++ == 0 ? 0 : 1));
            }
        };
        ChapResponder initiator = new ChapResponder(MUTUAL, echo);
        Map<String, String> answer = asMap(initiator.respond(Map.of(TextKey.CHAP_A, "5", TextKey.CHAP_I, "9",
                TextKey.CHAP_C, ChapValues.hex(targetChallenge))));
        assertThat(answer.get(TextKey.CHAP_C)).isNotEqualTo(ChapValues.hex(targetChallenge))
                .isEqualTo("0x" + "01".repeat(16));
    }

    private static Map<String, String> asMap(List<KeyValue> keys) {
        Map<String, String> map = new LinkedHashMap<>();
        keys.forEach(k -> map.put(k.key(), k.value()));
        return map;
    }
}
