package dev.quarry.iscsi.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.iscsi.login.OperationalNegotiator.Phase;
import dev.quarry.iscsi.pdu.LoginStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OperationalNegotiatorTest {

    private static final NegotiationPolicy POLICY = NegotiationPolicy.DEFAULT;

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
        HeaderDigest             | None,CRC32C  | None
        HeaderDigest             | CRC32C,None  | CRC32C
        HeaderDigest             | CRC32C       | CRC32C
        HeaderDigest             | MD5          | Reject
        DataDigest               | Foo,CRC32C   | CRC32C
        MaxConnections           | 4            | 1
        MaxConnections           | 0            | Reject
        InitialR2T               | No           | No
        InitialR2T               | Yes          | Yes
        InitialR2T               | Maybe        | Reject
        ImmediateData            | Yes          | Yes
        ImmediateData            | No           | No
        MaxBurstLength           | 262144       | 262144
        MaxBurstLength           | 16777215     | 1048576
        MaxBurstLength           | 511          | Reject
        MaxBurstLength           | 16777216     | Reject
        MaxBurstLength           | 0x40000      | 262144
        MaxBurstLength           | -1           | Reject
        MaxBurstLength           | abc          | Reject
        FirstBurstLength         | 65536        | 65536
        FirstBurstLength         | 16777215     | 262144
        DefaultTime2Wait         | 0            | 2
        DefaultTime2Wait         | 10           | 10
        DefaultTime2Wait         | 3601         | Reject
        DefaultTime2Retain       | 20           | 0
        MaxOutstandingR2T        | 1            | 1
        MaxOutstandingR2T        | 64           | 8
        MaxOutstandingR2T        | 0            | Reject
        DataPDUInOrder           | No           | Yes
        DataSequenceInOrder      | No           | Yes
        ErrorRecoveryLevel       | 2            | 0
        ErrorRecoveryLevel       | 3            | Reject
        IFMarker                 | No           | No
        OFMarker                 | Yes          | No
        IFMarkInt                | 2048~8192    | Reject
        OFMarkInt                | 2048         | Reject
        TaskReporting            | FastAbort,RFC3720 | RFC3720
        TaskReporting            | FastAbort    | Reject
        iSCSIProtocolLevel       | 2            | 1
        RDMAExtensions           | Yes          | No
        TargetAlias              | mine         | Reject
        TargetPortalGroupTag     | 1            | Reject
        TargetAddress            | 10.0.0.1     | Reject
        SendTargets              | All          | Reject
        X-com.example.Feature    | on           | NotUnderstood
        X#org.example.Ext        | 1            | NotUnderstood
        MadeUpKey                | 1            | NotUnderstood
        """)
    void shouldAnswerEachKeyByItsOwnRule(String key, String offer, String answer) {
        NegotiationResult result = negotiate(Phase.LOGIN, SessionType.NORMAL, Map.of(key, offer));
        assertThat(result.failure()).isNull();
        assertThat(result.answers()).containsExactly(new KeyValue(key, answer));
    }

    @ParameterizedTest(name = "{0} in discovery -> Irrelevant")
    @CsvSource({"MaxConnections,1", "InitialR2T,No", "ImmediateData,Yes", "MaxBurstLength,262144",
        "FirstBurstLength,262144", "MaxOutstandingR2T,1", "DataPDUInOrder,Yes", "DataSequenceInOrder,Yes"})
    void shouldAnswerIrrelevantToSessionKeysInDiscovery(String key, String offer) {
        NegotiationResult result = negotiate(Phase.LOGIN, SessionType.DISCOVERY, Map.of(key, offer));
        assertThat(result.answers()).containsExactly(new KeyValue(key, "Irrelevant"));
    }

    @Test
    void shouldNegotiateDigestsAndLengthsInDiscovery() {
        NegotiationResult result = negotiate(Phase.LOGIN, SessionType.DISCOVERY,
                ordered("HeaderDigest", "CRC32C,None", "DefaultTime2Wait", "2"));
        assertThat(result.answers()).containsExactly(new KeyValue("HeaderDigest", "CRC32C"), new KeyValue("DefaultTime2Wait", "2"));
        assertThat(result.parameters().headerDigest()).isTrue();
    }

    @Test
    void shouldRecordTheInitiatorsDeclaredSegmentLengthWithoutAnswering() {
        NegotiationResult result = negotiate(Phase.LOGIN, SessionType.NORMAL, Map.of("MaxRecvDataSegmentLength", "512"));
        assertThat(result.answers()).isEmpty();
        assertThat(result.parameters().initiatorMaxRecvDataSegmentLength()).isEqualTo(512);
    }

    @ParameterizedTest
    @CsvSource({"0", "511", "16777216", "-1", "abc", "''"})
    void shouldFailLoginOnImpossibleSegmentLength(String value) {
        NegotiationResult result = negotiate(Phase.LOGIN, SessionType.NORMAL, Map.of("MaxRecvDataSegmentLength", value));
        assertThat(result.failure()).isNotNull();
        assertThat(result.failure().status()).isEqualTo(LoginStatus.INITIATOR_ERROR);
        assertThat(result.parameters()).isEqualTo(OperationalParameters.DEFAULTS);
    }

    @Test
    void shouldFailLoginWhenAKeyIsNegotiatedTwice() {
        NegotiationResult first = negotiate(Phase.LOGIN, SessionType.NORMAL, Map.of("MaxBurstLength", "65536"));
        NegotiationResult second = OperationalNegotiator.negotiate(Phase.LOGIN, SessionType.NORMAL,
                Map.of("MaxBurstLength", "65536"), first.parameters(), first.negotiated(), POLICY);
        assertThat(second.failure().status()).isEqualTo(LoginStatus.INITIATOR_ERROR);
    }

    @Test
    void shouldClampFirstBurstToNegotiatedMaxBurst() {
        NegotiationResult result = negotiate(Phase.LOGIN, SessionType.NORMAL,
                ordered("MaxBurstLength", "4096", "FirstBurstLength", "65536"));
        assertThat(result.answers()).contains(new KeyValue("FirstBurstLength", "4096"));
        assertThat(result.parameters().effectiveFirstBurstLength()).isEqualTo(4096);
    }

    @Test
    void shouldNegotiateLibiscsiOfferToTheExpectedSession() {
        Map<String, String> offer = ordered("HeaderDigest", "None,CRC32C", "DataDigest", "None", "InitialR2T", "No",
                "ImmediateData", "Yes", "MaxBurstLength", "262144", "FirstBurstLength", "262144", "DefaultTime2Wait", "2",
                "DefaultTime2Retain", "0", "MaxOutstandingR2T", "1", "ErrorRecoveryLevel", "0", "IFMarker", "No",
                "OFMarker", "No", "MaxConnections", "1", "MaxRecvDataSegmentLength", "262144", "DataPDUInOrder", "Yes",
                "DataSequenceInOrder", "Yes");
        NegotiationResult result = negotiate(Phase.LOGIN, SessionType.NORMAL, offer);
        assertThat(result.failure()).isNull();
        OperationalParameters p = result.parameters();
        assertThat(p.headerDigest()).isFalse();
        assertThat(p.initialR2t()).isFalse();
        assertThat(p.immediateData()).isTrue();
        assertThat(p.maxBurstLength()).isEqualTo(262144);
        assertThat(p.firstBurstLength()).isEqualTo(262144);
        assertThat(p.initiatorMaxRecvDataSegmentLength()).isEqualTo(262144);
        assertThat(result.answers()).hasSize(offer.size() - 1);
    }

    @ParameterizedTest(name = "FFP {0}={1} -> {2}")
    @CsvSource({"MaxBurstLength,65536,Reject", "HeaderDigest,CRC32C,Reject", "MaxConnections,2,Reject",
        "InitiatorName,iqn.x,Reject", "SessionType,Normal,Reject", "AuthMethod,None,Reject", "TargetAlias,x,Reject",
        "X-foo,1,NotUnderstood"})
    void shouldRejectLoginOnlyKeysInFullFeaturePhase(String key, String offer, String answer) {
        NegotiationResult result = negotiate(Phase.FULL_FEATURE, SessionType.NORMAL, Map.of(key, offer));
        assertThat(result.failure()).isNull();
        assertThat(result.answers()).containsExactly(new KeyValue(key, answer));
        assertThat(result.parameters()).isEqualTo(OperationalParameters.DEFAULTS);
    }

    @Test
    void shouldRenegotiateSegmentLengthInFullFeaturePhase() {
        NegotiationResult result = negotiate(Phase.FULL_FEATURE, SessionType.NORMAL, Map.of("MaxRecvDataSegmentLength", "4096"));
        assertThat(result.answers()).isEmpty();
        assertThat(result.parameters().initiatorMaxRecvDataSegmentLength()).isEqualTo(4096);
        NegotiationResult bad = negotiate(Phase.FULL_FEATURE, SessionType.NORMAL, Map.of("MaxRecvDataSegmentLength", "1"));
        assertThat(bad.answers()).containsExactly(new KeyValue("MaxRecvDataSegmentLength", "Reject"));
        assertThat(bad.parameters().initiatorMaxRecvDataSegmentLength()).isEqualTo(8192);
    }

    private static NegotiationResult negotiate(Phase phase, SessionType type, Map<String, String> offer) {
        return OperationalNegotiator.negotiate(phase, type, offer, OperationalParameters.DEFAULTS, Set.of(), POLICY);
    }

    private static Map<String, String> ordered(String... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    @Test
    void shouldListEveryRfc7143Key() {
        List<String> rfc7143 = List.of("HeaderDigest", "DataDigest", "MaxConnections", "SendTargets", "TargetName",
                "InitiatorName", "TargetAlias", "InitiatorAlias", "TargetAddress", "TargetPortalGroupTag", "InitialR2T",
                "ImmediateData", "MaxRecvDataSegmentLength", "MaxBurstLength", "FirstBurstLength", "DefaultTime2Wait",
                "DefaultTime2Retain", "MaxOutstandingR2T", "DataPDUInOrder", "DataSequenceInOrder", "ErrorRecoveryLevel",
                "SessionType", "AuthMethod", "IFMarker", "OFMarker", "IFMarkInt", "OFMarkInt");
        assertThat(rfc7143).allSatisfy(key -> assertThat(OperationalKey.of(key)).as(key).isNotNull());
    }
}
