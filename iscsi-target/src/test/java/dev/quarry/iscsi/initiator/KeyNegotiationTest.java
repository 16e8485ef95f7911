package dev.quarry.iscsi.initiator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.iscsi.login.DigestPolicy;
import dev.quarry.iscsi.login.KeyValue;
import dev.quarry.iscsi.login.OperationalParameters;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The initiator's key rules (RFC 7143 §13): offers, answers checked against them, target offers answered. */
class KeyNegotiationTest {

    private static final InitiatorConfig CONFIG = InitiatorConfig.defaults("iqn.2026-11.dev.quarry:keys");

    @Test
    void shouldOfferEveryOperationalKeyOnce() {
        List<KeyValue> offers = new KeyNegotiation(CONFIG).offers();
        assertThat(offers).extracting(KeyValue::key).doesNotHaveDuplicates()
                .contains("HeaderDigest", "DataDigest", "MaxRecvDataSegmentLength", "MaxBurstLength", "FirstBurstLength",
                        "InitialR2T", "ImmediateData", "ErrorRecoveryLevel", "MaxOutstandingR2T");
        assertThat(offers).contains(new KeyValue("HeaderDigest", "None,CRC32C"), new KeyValue("InitialR2T", "No"),
                new KeyValue("MaxRecvDataSegmentLength", "262144"), new KeyValue("ErrorRecoveryLevel", "0"));
    }

    @Test
    void shouldTakeTheAnswersOfALinuxStyleTarget() {
        OperationalParameters p = negotiate(CONFIG, Map.of("HeaderDigest", "None", "DataDigest", "CRC32C",
                "MaxConnections", "1", "InitialR2T", "Yes", "ImmediateData", "Yes", "MaxRecvDataSegmentLength", "8192",
                "MaxBurstLength", "262144", "FirstBurstLength", "65536", "MaxOutstandingR2T", "1",
                "ErrorRecoveryLevel", "0"));
        assertThat(p.headerDigest()).isFalse();
        assertThat(p.dataDigest()).isTrue();
        assertThat(p.initialR2t()).isTrue();
        assertThat(p.immediateData()).isTrue();
        assertThat(p.targetMaxRecvDataSegmentLength()).isEqualTo(8192);
        assertThat(p.initiatorMaxRecvDataSegmentLength()).isEqualTo(262144);
        assertThat(p.maxBurstLength()).isEqualTo(262144);
        assertThat(p.effectiveFirstBurstLength()).isEqualTo(65536);
        assertThat(p.maxOutstandingR2t()).isEqualTo(1);
    }

    @Test
    void shouldKeepRfcDefaultsForKeysNeverAnswered() {
        OperationalParameters p = negotiate(CONFIG, Map.of());
        assertThat(p.targetMaxRecvDataSegmentLength()).isEqualTo(8192);
        assertThat(p.initialR2t()).isTrue();
        assertThat(p.maxBurstLength()).isEqualTo(262144);
        assertThat(p.effectiveFirstBurstLength()).isEqualTo(65536);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "HeaderDigest, MD5",
        "MaxBurstLength, 2097152",
        "MaxBurstLength, 100",
        "FirstBurstLength, 524288",
        "MaxConnections, 2",
        "DataPDUInOrder, No",
        "ErrorRecoveryLevel, 1",
        "ImmediateData, Maybe",
        "MaxRecvDataSegmentLength, 16777216",
        "DefaultTime2Retain, 20",
        "MaxOutstandingR2T, 9"})
    void shouldRefuseAnswersTheRulesForbid(String key, String value) {
        assertThatThrownBy(() -> negotiate(CONFIG, Map.of(key, value))).isInstanceOf(LoginRefusedException.class)
                .satisfies(e -> assertThat(((LoginRefusedException) e).permanent()).isTrue());
    }

    @Test
    void shouldRefuseImmediateDataWeDeclinedAndNoToAnInitialR2tWeRequired() {
        InitiatorConfig strict = CONFIG.toBuilder().unsolicitedData(false, true).build();
        assertThatThrownBy(() -> negotiate(strict, Map.of("ImmediateData", "Yes"))).isInstanceOf(LoginRefusedException.class);
        assertThatThrownBy(() -> negotiate(strict, Map.of("InitialR2T", "No"))).isInstanceOf(LoginRefusedException.class);
    }

    @Test
    void shouldRefuseARequiredDigestTheTargetWillNotUse() {
        InitiatorConfig digests = CONFIG.toBuilder().digests(DigestPolicy.REQUIRED, DigestPolicy.NEVER).build();
        assertThatThrownBy(() -> negotiate(digests, Map.of("HeaderDigest", "Reject"))).isInstanceOf(LoginRefusedException.class);
        assertThatThrownBy(() -> negotiate(digests, Map.of("HeaderDigest", "None"))).isInstanceOf(LoginRefusedException.class);
        assertThat(negotiate(digests, Map.of("HeaderDigest", "CRC32C", "DataDigest", "None")).headerDigest()).isTrue();
    }

    @Test
    void shouldFallBackToTheSafeSideOfKeysTheTargetIgnores() {
        OperationalParameters p = negotiate(CONFIG, Map.of("ImmediateData", "NotUnderstood", "InitialR2T", "Irrelevant"));
        assertThat(p.immediateData()).isFalse();
        assertThat(p.initialR2t()).isTrue();
    }

    @Test
    void shouldAnswerKeysTheTargetOffersItself() {
        KeyNegotiation keys = new KeyNegotiation(CONFIG);
        Map<String, String> offered = new LinkedHashMap<>();
        offered.put("MaxBurstLength", "4194304");
        offered.put("DataDigest", "CRC32C,None");
        offered.put("X-com.example.Feature", "1");
        offered.put("TargetAlias", "array7 disk");
        offered.put("InitialR2T", "Yes");
        List<KeyValue> answers = keys.accept(offered, new HashSet<>());
        assertThat(answers).containsExactly(new KeyValue("MaxBurstLength", "1048576"), new KeyValue("DataDigest", "CRC32C"),
                new KeyValue("X-com.example.Feature", "NotUnderstood"), new KeyValue("InitialR2T", "Yes"));
        assertThat(keys.parameters().maxBurstLength()).isEqualTo(1 << 20);
        assertThat(keys.parameters().dataDigest()).isTrue();
        assertThat(keys.parameters().initialR2t()).isTrue();
    }

    private static OperationalParameters negotiate(InitiatorConfig config, Map<String, String> answers) {
        KeyNegotiation keys = new KeyNegotiation(config);
        Set<String> unanswered = new HashSet<>();
        keys.offers().forEach(o -> unanswered.add(o.key()));
        unanswered.remove("MaxRecvDataSegmentLength");
        assertThat(keys.accept(answers, unanswered)).isEmpty();
        return keys.parameters();
    }
}
