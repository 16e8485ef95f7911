package dev.quarry.iscsi.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.iscsi.codec.InitiatorPduLayout;
import dev.quarry.iscsi.pdu.LoginRequestPdu;
import dev.quarry.iscsi.pdu.LoginStatus;
import dev.quarry.iscsi.pdu.Opcode;
import dev.quarry.iscsi.testing.PduFixtures;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoginConversationTest {

    static final String INITIATOR = "iqn.2007-10.com.github:sahlberg:libiscsi:iscsi-inq";
    static final String TARGET = "iqn.2026-11.test:tgt1";
    static final String CHAP_TARGET = "iqn.2026-11.test:chap";
    static final String CLOSED_TARGET = "iqn.2026-11.test:closed";

    record TestTarget(String name, Optional<String> alias, Set<String> allowed, Optional<ChapCredentials> chap)
            implements TargetAccess {
        @Override
        public boolean admits(String initiatorName) {
            return allowed.isEmpty() || allowed.contains(initiatorName);
        }
    }

    private final Map<String, TestTarget> targets = Map.of(
            TARGET, new TestTarget(TARGET, Optional.of("disk one"), Set.of(), Optional.empty()),
            CHAP_TARGET, new TestTarget(CHAP_TARGET, Optional.empty(), Set.of(),
                    Optional.of(ChapCredentials.of("quarryuser", "chapsecret1234"))),
            CLOSED_TARGET, new TestTarget(CLOSED_TARGET, Optional.empty(), Set.of("iqn.2000-01.other:host"), Optional.empty()));
    private final TargetCatalog<TestTarget> catalog = new TargetCatalog<>() {
        @Override
        public Optional<TestTarget> find(String name) {
            return Optional.ofNullable(targets.get(name));
        }

        @Override
        public Optional<ChapCredentials> discoveryChap() {
            return Optional.empty();
        }
    };
    private final LoginConversation<TestTarget> login = new LoginConversation<>(catalog, (tsih, name, isid) -> tsih == 7,
            NegotiationPolicy.DEFAULT, 1, new Random(42), 16384);

    @Test
    void shouldCompleteQemuLoginFromTraceInOneRoundTrip() {
        LoginStep<TestTarget> step = onFixture("login-request-qemu");
        assertThat(step.outcome()).isEqualTo(LoginStep.Outcome.COMPLETE);
        assertThat(step.reply().transit()).isTrue();
        assertThat(step.reply().nextStage()).isEqualTo(3);
        Map<String, String> keys = asMap(step);
        assertThat(keys).containsEntry("TargetPortalGroupTag", "1").containsEntry("TargetAlias", "disk one")
                .containsEntry("HeaderDigest", "None").containsEntry("InitialR2T", "No")
                .containsEntry("MaxRecvDataSegmentLength", "262144").containsEntry("IFMarker", "No");
        LoginResult<TestTarget> result = step.result();
        assertThat(result.initiatorName()).isEqualTo("iqn.2008-11.org.linux-kvm");
        assertThat(result.target().name()).isEqualTo(TARGET);
        assertThat(result.parameters().initiatorMaxRecvDataSegmentLength()).isEqualTo(262144);
        assertThat(result.parameters().targetMaxRecvDataSegmentLength()).isEqualTo(262144);
    }

    @Test
    void shouldCompleteLibiscsiDiscoveryLoginWithIrrelevantSessionKeys() {
        LoginStep<TestTarget> step = onFixture("login-request-discovery");
        assertThat(step.outcome()).isEqualTo(LoginStep.Outcome.COMPLETE);
        assertThat(step.result().sessionType()).isEqualTo(SessionType.DISCOVERY);
        assertThat(step.result().target()).isNull();
        assertThat(asMap(step)).containsEntry("InitialR2T", "Irrelevant").containsEntry("MaxBurstLength", "Irrelevant")
                .doesNotContainKey("TargetPortalGroupTag");
    }

    @Test
    void shouldRunChapLoginOfLibiscsiTrace() {
        LoginConversation<TestTarget> chapLogin = new LoginConversation<>(catalog, (t, n, i) -> false, NegotiationPolicy.DEFAULT,
                1, new Random(1), 16384);
        LoginStep<TestTarget> offer = chapLogin.onRequest(request(0, 1, true, false,
                "InitiatorName=" + INITIATOR + "\0TargetName=" + CHAP_TARGET + "\0SessionType=Normal\0AuthMethod=CHAP,None\0"));
        assertThat(offer.reply().transit()).as("CHAP still to do").isFalse();
        assertThat(asMap(offer)).containsEntry("AuthMethod", "CHAP");
        LoginStep<TestTarget> challenge = chapLogin.onRequest(request(0, 1, false, false, "CHAP_A=5\0"));
        Map<String, String> chap = asMap(challenge);
        byte[] response = ChapAuthenticatorTest.respond(chap, "chapsecret1234");
        LoginStep<TestTarget> verified = chapLogin.onRequest(request(0, 1, true, false,
                "CHAP_N=quarryuser\0CHAP_R=" + ChapValues.hex(response) + "\0"));
        assertThat(verified.outcome()).isEqualTo(LoginStep.Outcome.CONTINUE);
        assertThat(verified.reply().transit()).isTrue();
        assertThat(verified.reply().nextStage()).isEqualTo(1);
        LoginStep<TestTarget> done = chapLogin.onRequest(request(1, 3, true, false, "HeaderDigest=None,CRC32C\0"));
        assertThat(done.outcome()).isEqualTo(LoginStep.Outcome.COMPLETE);
        assertThat(asMap(done)).containsEntry("MaxRecvDataSegmentLength", "262144");
    }

    @Test
    void shouldRefuseTransitThatSkipsChapResponse() {
        login.onRequest(request(0, 1, true, false, identity(CHAP_TARGET) + "AuthMethod=CHAP\0"));
        login.onRequest(request(0, 1, false, false, "CHAP_A=5\0"));
        LoginStep<TestTarget> skipped = login.onRequest(request(0, 1, true, false, ""));
        assertFailed(skipped, LoginStatus.AUTHENTICATION_FAILURE);
    }

    @Test
    void shouldRefuseLoginStraightIntoOperationalStageWhenChapIsRequired() {
        assertFailed(login.onRequest(request(1, 3, true, false, identity(CHAP_TARGET))), LoginStatus.AUTHENTICATION_FAILURE);
    }

    @Test
    void shouldRefuseAuthMethodNoneWhenChapIsRequired() {
        assertFailed(login.onRequest(request(0, 1, true, false, identity(CHAP_TARGET) + "AuthMethod=None\0")),
                LoginStatus.AUTHENTICATION_FAILURE);
    }

    @Test
    void shouldAcceptAuthMethodNoneWithoutCredentials() {
        LoginStep<TestTarget> step = login.onRequest(request(0, 1, true, false, identity(TARGET) + "AuthMethod=CHAP,None\0"));
        assertThat(asMap(step)).containsEntry("AuthMethod", "None");
        assertThat(step.reply().transit()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        no InitiatorName                | 1 | 3 | TargetName=iqn.2026-11.test:tgt1\\0                                      | MISSING_PARAMETER
        no TargetName                   | 1 | 3 | InitiatorName=iqn.2000-01.a:b\\0                                         | MISSING_PARAMETER
        unknown target                  | 1 | 3 | InitiatorName=iqn.2000-01.a:b\\0TargetName=iqn.2026-11.test:nope\\0      | NOT_FOUND
        initiator not in ACL            | 1 | 3 | InitiatorName=iqn.2000-01.a:b\\0TargetName=iqn.2026-11.test:closed\\0    | AUTHORIZATION_FAILURE
        unsupported session type        | 1 | 3 | InitiatorName=iqn.2000-01.a:b\\0SessionType=Foo\\0                       | SESSION_TYPE_NOT_SUPPORTED
        invalid initiator name          | 1 | 3 | InitiatorName=bob\\0TargetName=iqn.2026-11.test:tgt1\\0                  | INITIATOR_ERROR
        key given twice                 | 1 | 3 | InitiatorName=iqn.2000-01.a:b\\0InitiatorName=iqn.2000-01.a:b\\0         | INITIATOR_ERROR
        reserved NSG                    | 1 | 2 | InitiatorName=iqn.2000-01.a:b\\0TargetName=iqn.2026-11.test:tgt1\\0      | INITIATOR_ERROR
        NSG below CSG                   | 1 | 0 | InitiatorName=iqn.2000-01.a:b\\0TargetName=iqn.2026-11.test:tgt1\\0      | INITIATOR_ERROR
        CSG full feature                | 3 | 3 | InitiatorName=iqn.2000-01.a:b\\0TargetName=iqn.2026-11.test:tgt1\\0      | INITIATOR_ERROR
        segment length zero             | 1 | 3 | InitiatorName=iqn.2000-01.a:b\\0TargetName=iqn.2026-11.test:tgt1\\0MaxRecvDataSegmentLength=0\\0 | INITIATOR_ERROR
        security key in operational     | 1 | 3 | InitiatorName=iqn.2000-01.a:b\\0TargetName=iqn.2026-11.test:tgt1\\0AuthMethod=None\\0 | INITIATOR_ERROR
        missing NUL                     | 1 | 3 | InitiatorName=iqn.2000-01.a:b                                           | INITIATOR_ERROR
        """)
    void shouldFailLoginWithTheRfcStatus(String name, int csg, int nsg, String text, LoginStatus status) {
        assertFailed(login.onRequest(request(csg, nsg, true, false, text.replace("\\0", "\0"))), status);
    }

    @Test
    void shouldRefuseContinueBitTogetherWithTransit() {
        assertFailed(login.onRequest(request(1, 3, true, true, identity(TARGET))), LoginStatus.INITIATOR_ERROR);
    }

    @Test
    void shouldRefuseUnsupportedVersion() {
        LoginRequestPdu request = new LoginRequestPdu(true, false, 1, 3, 2, 1, 0x400001370000L, 0, 1, 0, 1, 0,
                text(identity(TARGET)));
        assertFailed(login.onRequest(request), LoginStatus.UNSUPPORTED_VERSION);
    }

    @Test
    void shouldAnswerUnknownTsihWithSessionDoesNotExist() {
        LoginRequestPdu request = new LoginRequestPdu(true, false, 1, 3, 0, 0, 0x400001370000L, 9, 1, 0, 1, 0,
                text(identity(TARGET)));
        assertFailed(login.onRequest(request), LoginStatus.SESSION_DOES_NOT_EXIST);
        LoginConversation<TestTarget> second = new LoginConversation<>(catalog, (t, n, i) -> t == 7, NegotiationPolicy.DEFAULT, 1,
                new Random(), 16384);
        LoginRequestPdu existing = new LoginRequestPdu(true, false, 1, 3, 0, 0, 0x400001370000L, 7, 1, 1, 1, 0,
                text(identity(TARGET)));
        assertFailed(second.onRequest(existing), LoginStatus.TOO_MANY_CONNECTIONS);
    }

    @Test
    void shouldCollectTextContinuedOverSeveralPdus() {
        String whole = identity(TARGET) + "MaxBurstLength=65536\0";
        LoginStep<TestTarget> first = login.onRequest(request(1, 3, false, true, whole.substring(0, 20)));
        assertThat(first.outcome()).isEqualTo(LoginStep.Outcome.CONTINUE);
        assertThat(first.reply().keys()).isEmpty();
        LoginStep<TestTarget> last = login.onRequest(request(1, 3, true, false, whole.substring(20)));
        assertThat(last.outcome()).isEqualTo(LoginStep.Outcome.COMPLETE);
        assertThat(asMap(last)).containsEntry("MaxBurstLength", "65536");
    }

    @Test
    void shouldBoundContinuedLoginText() {
        LoginConversation<TestTarget> small = new LoginConversation<>(catalog, (t, n, i) -> false, NegotiationPolicy.DEFAULT, 1,
                new Random(), 64);
        small.onRequest(request(1, 3, false, true, "X-a=" + "b".repeat(50)));
        assertFailed(small.onRequest(request(1, 3, false, true, "c".repeat(50))), LoginStatus.INITIATOR_ERROR);
    }

    @Test
    void shouldRefuseIdentityChangedInLaterPdu() {
        login.onRequest(request(0, 1, false, false, identity(TARGET) + "AuthMethod=None\0"));
        assertFailed(login.onRequest(request(0, 1, true, false, "InitiatorName=iqn.2026-11.test:someone-else\0")),
                LoginStatus.INITIATOR_ERROR);
    }

    @Test
    void shouldAcceptIdentityRepeatedWithTheSameValueAsLibiscsiDoes() {
        login.onRequest(request(0, 1, true, false, identity(TARGET) + "AuthMethod=None\0"));
        LoginStep<TestTarget> operational = login.onRequest(request(1, 3, true, false,
                "InitiatorName=" + INITIATOR + "\0SessionType=Normal\0TargetName=" + TARGET + "\0HeaderDigest=None\0"));
        assertThat(operational.outcome()).isEqualTo(LoginStep.Outcome.COMPLETE);
    }

    @Test
    void shouldRefuseLoginWhenRequiredDigestIsNotAgreed() {
        NegotiationPolicy digestsRequired = new NegotiationPolicy(DigestPolicy.REQUIRED, DigestPolicy.ALLOWED, false, true,
                262144, 1 << 20, 262144, 2, 0, 8);
        LoginConversation<TestTarget> strict = new LoginConversation<>(catalog, (t, n, i) -> false, digestsRequired, 1,
                new Random(), 16384);
        assertFailed(strict.onRequest(request(1, 3, true, false, identity(TARGET) + "HeaderDigest=None\0")),
                LoginStatus.INITIATOR_ERROR);
    }

    private LoginStep<TestTarget> onFixture(String name) {
        byte[] bytes = PduFixtures.load(name);
        ByteBuf frame = Unpooled.wrappedBuffer(bytes);
        int dsl = frame.getUnsignedMedium(5);
        LoginRequestPdu request = (LoginRequestPdu) InitiatorPduLayout.read(Opcode.LOGIN_REQUEST, frame, 0, frame.retainedSlice(48, dsl));
        try {
            return login.onRequest(request);
        } finally {
            request.release();
            frame.release();
        }
    }

    static String identity(String target) {
        return "InitiatorName=" + INITIATOR + "\0TargetName=" + target + "\0";
    }

    static LoginRequestPdu request(int csg, int nsg, boolean transit, boolean continueFlag, String text) {
        return new LoginRequestPdu(transit, continueFlag, csg, nsg, 0, 0, 0x400001370000L, 0, 1, 0, 1, 0, text(text));
    }

    private static ByteBuf text(String text) {
        return Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertFailed(LoginStep<?> step, LoginStatus status) {
        assertThat(step.outcome()).isEqualTo(LoginStep.Outcome.FAIL);
        assertThat(step.reply().status()).as(step.detail()).isEqualTo(status);
    }

    private static Map<String, String> asMap(LoginStep<?> step) {
        Map<String, String> map = new LinkedHashMap<>();
        step.reply().keys().forEach(kv -> map.put(kv.key(), kv.value()));
        return map;
    }
}
