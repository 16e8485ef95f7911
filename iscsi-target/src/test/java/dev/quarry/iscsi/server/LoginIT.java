package dev.quarry.iscsi.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.iscsi.login.ChapCredentials;
import dev.quarry.iscsi.pdu.LoginRequestPdu;
import dev.quarry.iscsi.pdu.LoginResponsePdu;
import dev.quarry.iscsi.pdu.ScsiCommandPdu;
import dev.quarry.iscsi.pdu.TargetPdu;
import dev.quarry.iscsi.testing.Await;
import dev.quarry.iscsi.testing.LoginOptions;
import dev.quarry.iscsi.testing.LoginOutcome;
import dev.quarry.iscsi.testing.MemoryScsiTarget;
import dev.quarry.iscsi.testing.ScsiResult;
import dev.quarry.iscsi.testing.TestInitiator;
import dev.quarry.iscsi.testing.TestServer;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Login over real sockets: statuses of RELIABILITY §2/§3 (cases 1-23) and that the server keeps serving. */
class LoginIT {

    static final String CHAP_TARGET = "iqn.2026-01.dev.quarry:chap-target";
    static final String MUTUAL_TARGET = "iqn.2026-01.dev.quarry:mutual-target";
    static final String CLOSED_TARGET = "iqn.2026-01.dev.quarry:closed-target";
    static final String USER = "quarryuser";
    static final String SECRET = "chapsecret1234";

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        MemoryScsiTarget scsi = server.scsi();
        server.targets().put(TargetEntry.open(CHAP_TARGET, scsi).withChap(ChapCredentials.of(USER, SECRET)));
        server.targets().put(TargetEntry.open(MUTUAL_TARGET, scsi)
                .withChap(ChapCredentials.mutual(USER, SECRET, "quarrytarget", "targetsecret5678")));
        server.targets().put(TargetEntry.open(CLOSED_TARGET, scsi).withAccess(AccessPolicy.allow(List.of("iqn.2000-01.x:only"))));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void shouldLogInWithChapAndMutualChap() {
        try (TestInitiator oneWay = server.connect(); TestInitiator mutual = server.connect()) {
            assertThat(oneWay.login(LoginOptions.normal(CHAP_TARGET).withChap(USER, SECRET)).succeeded()).isTrue();
            LoginOutcome outcome = mutual.login(LoginOptions.normal(MUTUAL_TARGET)
                    .withMutualChap(USER, SECRET, "quarrytarget", "targetsecret5678"));
            assertThat(outcome.succeeded()).isTrue();
            assertThat(mutual.scsi().testUnitReady(0).status()).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        unknown target (case 2)          | iqn.2026-01.dev.quarry:nope | iqn.2026-01.dev.quarry:test-initiator | 0x0203
        initiator not in the ACL (4)     | iqn.2026-01.dev.quarry:closed-target | iqn.2026-01.dev.quarry:test-initiator | 0x0202
        CHAP required, none offered (5)  | iqn.2026-01.dev.quarry:chap-target | iqn.2026-01.dev.quarry:test-initiator | 0x0201
        invalid initiator name           | iqn.2026-01.dev.quarry:test-target | not-an-iscsi-name | 0x0200
        """)
    void shouldRefuseLoginWithStatusAndClose(String name, String target, String initiatorName, String status) {
        try (TestInitiator initiator = server.connect()) {
            LoginOutcome outcome = initiator.login(LoginOptions.normal(target).withInitiatorName(initiatorName));
            assertThat(outcome.status()).isEqualTo(Integer.decode(status));
            assertThat(initiator.awaitClose(Duration.ofSeconds(5))).isTrue();
        }
        assertServerStillServes();
    }

    @Test
    void shouldRefuseWrongChapSecretWithAuthenticationFailure() {
        try (TestInitiator initiator = server.connect()) {
            assertThat(initiator.login(LoginOptions.normal(CHAP_TARGET).withChap(USER, "wrongsecret99")).status()).isEqualTo(0x0201);
            assertThat(initiator.awaitClose(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void shouldRefuseUnsupportedVersion() {
        try (TestInitiator initiator = server.connect()) {
            LoginResponsePdu response = step(initiator, new LoginRequestPdu(true, false, 1, 3, 2, 1, LoginOptions.DEFAULT_ISID, 0, 1,
                    0, 5, 0, text(identity(TestServer.TARGET))));
            assertThat(response.status()).isEqualTo(0x0205);
            assertThat(initiator.awaitClose(Duration.ofSeconds(5))).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        CHAP_A=55 (case 6)                  | CHAP_A=55                          | 0x0201
        CHAP_A=5x (case 6)                  | CHAP_A=5x                          | 0x0201
        CHAP_A empty (case 6)               | CHAP_A=                            | 0x0201
        """)
    void shouldNeverTreatAnotherChapAlgorithmAsMd5(String name, String chapA, String status) {
        try (TestInitiator initiator = server.connect()) {
            assertThat(step(initiator, security(true, identity(CHAP_TARGET) + "AuthMethod=CHAP\0")).status()).isZero();
            assertThat(step(initiator, security(false, chapA + "\0")).status()).isEqualTo(Integer.decode(status));
            assertThat(initiator.awaitClose(Duration.ofSeconds(5))).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        4 KB hex CHAP_R (case 7)          | CHAP_R=0x%s                        | 0x0200
        CHAP_R empty hex (case 10)        | CHAP_R=0x                          | 0x0200
        CHAP_R odd nibble (case 10)       | CHAP_R=0xABC                       | 0x0200
        CHAP_R bad hex (case 10)          | CHAP_R=0xZZ                        | 0x0200
        CHAP_R bad base64 (case 10)       | CHAP_R=0b!!!!                      | 0x0200
        CHAP_R wrong length               | CHAP_R=0x0011223344                | 0x0201
        """)
    void shouldRefuseMalformedChapResponse(String name, String response, String status) {
        try (TestInitiator initiator = server.connect()) {
            challenge(initiator, CHAP_TARGET);
            String value = response.replace("%s", "ab".repeat(2048));
            LoginResponsePdu answer = step(initiator, security(true, "CHAP_N=" + USER + "\0" + value + "\0"));
            assertThat(answer.status()).isEqualTo(Integer.decode(status));
            assertThat(initiator.awaitClose(Duration.ofSeconds(5))).isTrue();
        }
        assertServerStillServes();
    }

    @ParameterizedTest(name = "CHAP_I={0} CHAP_C={1} -> {2}")
    @CsvSource({"256, 0x00112233, 0x0200", "-1, 0x00112233, 0x0200", "0x100, 0x00112233, 0x0200", "7, 0xZZ, 0x0200",
        "7, LONG, 0x0200", "0x0a, 0x00112233, 0x0000"})
    void shouldValidateTheMutualChallenge(String id, String mutualChallenge, String status) {
        try (TestInitiator initiator = server.connect()) {
            Map<String, String> challenge = challenge(initiator, MUTUAL_TARGET);
            String c = mutualChallenge.equals("LONG") ? "0x" + "01".repeat(1025) : mutualChallenge;
            LoginResponsePdu answer = step(initiator, security(true, "CHAP_N=" + USER + "\0CHAP_R=" + response(challenge, SECRET)
                    + "\0CHAP_I=" + id + "\0CHAP_C=" + c + "\0"));
            assertThat(answer.status()).isEqualTo(Integer.decode(status));
        }
    }

    @Test
    void shouldRefuseReflectedChallengeAndClose() {
        try (TestInitiator initiator = server.connect()) {
            Map<String, String> challenge = challenge(initiator, MUTUAL_TARGET);
            LoginResponsePdu answer = step(initiator, security(true, "CHAP_N=" + USER + "\0CHAP_R=" + response(challenge, SECRET)
                    + "\0CHAP_I=" + challenge.get("CHAP_I") + "\0CHAP_C=" + challenge.get("CHAP_C") + "\0"));
            assertThat(answer.status()).isEqualTo(0x0201);
            assertThat(initiator.awaitClose(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void shouldRefuseTransitThatSkipsChapResponse() {
        try (TestInitiator initiator = server.connect()) {
            challenge(initiator, CHAP_TARGET);
            LoginResponsePdu answer = step(initiator, security(true, ""));
            assertThat(answer.status()).isEqualTo(0x0201);
            assertThat(answer.transit()).isFalse();
            assertThat(initiator.awaitClose(Duration.ofSeconds(5))).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        key longer than 63 bytes (13)    | X-%s=1                                  | 0x0200
        key given twice (15)             | MaxBurstLength=512\\0MaxBurstLength=512 | 0x0200
        segment length 0 (16)            | MaxRecvDataSegmentLength=0              | 0x0200
        segment length 2^24 (16)         | MaxRecvDataSegmentLength=16777216       | 0x0200
        segment length abc (16)          | MaxRecvDataSegmentLength=abc            | 0x0200
        unsupported session type (21)    | SessionType=Foo                         | 0x0209
        """)
    void shouldRefuseBadOperationalText(String name, String keys, String status) {
        try (TestInitiator initiator = server.connect()) {
            String extra = keys.replace("%s", "k".repeat(62)).replace("\\0", "\0") + "\0";
            String identity = keys.startsWith("SessionType") ? "InitiatorName=" + LoginOptions.DEFAULT_INITIATOR + "\0"
                    : identity(TestServer.TARGET);
            LoginResponsePdu answer = step(initiator, operational(0, identity + extra));
            assertThat(answer.status()).isEqualTo(Integer.decode(status));
            assertThat(initiator.awaitClose(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void shouldRefuseTextWithoutTerminatingNul() {
        try (TestInitiator initiator = server.connect()) {
            assertThat(step(initiator, operational(0, identity(TestServer.TARGET) + "MaxBurstLength=512")).status()).isEqualTo(0x0200);
        }
    }

    @Test
    void shouldRefuseContinueBitTogetherWithTransit() {
        try (TestInitiator initiator = server.connect()) {
            LoginResponsePdu answer = step(initiator, new LoginRequestPdu(true, true, 1, 3, 0, 0, LoginOptions.DEFAULT_ISID, 0, 1, 0,
                    5, 0, text(identity(TestServer.TARGET))));
            assertThat(answer.status()).isEqualTo(0x0200);
        }
    }

    @Test
    void shouldBoundAnEndlessContinuedLoginText() {
        try (TestInitiator initiator = server.connect()) {
            String chunk = "X-" + "a".repeat(8000);
            int status = 0;
            for (int i = 0; i < 1024 && status == 0; i++) {
                LoginResponsePdu answer = step(initiator, new LoginRequestPdu(false, true, 1, 3, 0, 0, LoginOptions.DEFAULT_ISID, 0,
                        1, 0, 5, 0, text(chunk)));
                status = answer.status();
            }
            assertThat(status).as("refused long before 8 MB").isEqualTo(0x0200);
            assertThat(initiator.awaitClose(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void shouldAnswerScsiCommandDuringLoginWithInvalidDuringLogin() {
        try (TestInitiator initiator = server.connect()) {
            initiator.send(new ScsiCommandPdu(false, true, false, false, 1, 0, 7, 0, 1, 0, new byte[16], -1, Unpooled.EMPTY_BUFFER));
            TargetPdu answer = initiator.receive();
            assertThat(answer).isInstanceOfSatisfying(LoginResponsePdu.class, r -> assertThat(r.status()).isEqualTo(0x020B));
            assertThat(initiator.awaitClose(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void shouldAnswerUnknownTsihWithSessionDoesNotExist() {
        try (TestInitiator initiator = server.connect()) {
            assertThat(initiator.login(LoginOptions.normal(TestServer.TARGET).withTsih(0x7777)).status()).isEqualTo(0x020A);
        }
    }

    @Test
    void shouldRefuseASecondConnectionOfASessionWithTooManyConnections() {
        try (TestInitiator first = server.loggedIn(); TestInitiator second = server.connect()) {
            LoginOutcome outcome = second.login(LoginOptions.normal(TestServer.TARGET).withTsih(first.tsih()));
            assertThat(outcome.status()).isEqualTo(0x0206);
            assertThat(first.scsi().testUnitReady(0).status()).as("the session itself is untouched").isZero();
        }
    }

    @Test
    void shouldReinstateTheSessionOfTheSameInitiatorPortAndAbortItsTasks() {
        TestInitiator old = server.loggedIn();
        try (TestInitiator fresh = server.connect()) {
            server.scsi().hold(true);
            old.scsi().submit(0, new byte[] {0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0}, 512, null, false);
            awaitHeld(1);
            long openBefore = server.scsi().openNexuses();
            LoginOutcome outcome = fresh.login(LoginOptions.normal(TestServer.TARGET));
            assertThat(outcome.succeeded()).isTrue();
            assertThat(outcome.tsih()).isNotEqualTo(old.tsih());
            assertThat(old.awaitClose(Duration.ofSeconds(5))).as("the old connection is closed").isTrue();
            assertThat(server.scsi().heldCount()).as("the old session's task was aborted").isZero();
            Await.until(() -> server.scsi().openNexuses() == openBefore, "the old nexus closed, the new one open");
            server.scsi().hold(false);
            assertThat(fresh.scsi().testUnitReady(0).status()).isZero();
        } finally {
            server.scsi().hold(false);
            old.close();
        }
    }

    @Test
    void shouldNegotiateCrc32cDigestsAndCarryDataWithThem() {
        try (TestInitiator initiator = server.connect()) {
            initiator.loginOrFail(LoginOptions.normal(TestServer.TARGET).withKey("HeaderDigest", "CRC32C,None")
                    .withKey("DataDigest", "CRC32C,None"));
            assertThat(initiator.negotiated()).containsEntry("HeaderDigest", "CRC32C").containsEntry("DataDigest", "CRC32C");
            byte[] data = HexFormat.of().parseHex("5a".repeat(8192));
            assertThat(initiator.scsi().write10(0, 8, data, 512).status()).isZero();
            ScsiResult read = initiator.scsi().read10(0, 8, 16, 512);
            assertThat(read.data()).isEqualTo(data);
        }
    }

    @Test
    void shouldAnswerDiscoveryLoginWithIrrelevantSessionKeys() {
        try (TestInitiator initiator = server.connect()) {
            LoginOutcome outcome = initiator.login(LoginOptions.discovery().withKey("InitialR2T", "No"));
            assertThat(outcome.succeeded()).isTrue();
            assertThat(outcome.keys()).containsEntry("InitialR2T", "Irrelevant").doesNotContainKey("TargetPortalGroupTag");
        }
    }

    private static void assertServerStillServes() {
        try (TestInitiator other = server.loggedIn()) {
            assertThat(other.scsi().testUnitReady(0).status()).isZero();
        }
    }

    private static void awaitHeld(int count) {
        Await.until(() -> server.scsi().heldCount() >= count, "the command reaches the target");
    }

    /** Runs the security stage up to the target's CHAP challenge; returns its keys. */
    private static Map<String, String> challenge(TestInitiator initiator, String target) {
        LoginResponsePdu offered = step(initiator, security(true, identity(target) + "AuthMethod=CHAP,None\0"));
        assertThat(offered.status()).isZero();
        return keys(step(initiator, security(false, "CHAP_A=5\0")));
    }

    private static String response(Map<String, String> challenge, String secret) {
        try {
            java.security.MessageDigest md5 = java.security.MessageDigest.getInstance("MD5");
            md5.update((byte) Integer.parseInt(challenge.get("CHAP_I")));
            md5.update(secret.getBytes(StandardCharsets.UTF_8));
            md5.update(HexFormat.of().parseHex(challenge.get("CHAP_C").substring(2)));
            return "0x" + HexFormat.of().formatHex(md5.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String identity(String target) {
        return "InitiatorName=" + LoginOptions.DEFAULT_INITIATOR + "\0TargetName=" + target + "\0";
    }

    private static LoginRequestPdu security(boolean transit, String text) {
        return new LoginRequestPdu(transit, false, 0, 1, 0, 0, LoginOptions.DEFAULT_ISID, 0, 1, 0, 5, 0, text(text));
    }

    private static LoginRequestPdu operational(int tsih, String text) {
        return new LoginRequestPdu(true, false, 1, 3, 0, 0, LoginOptions.DEFAULT_ISID, tsih, 1, 0, 5, 0, text(text));
    }

    private static io.netty.buffer.ByteBuf text(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }

    private static LoginResponsePdu step(TestInitiator initiator, LoginRequestPdu request) {
        initiator.send(request);
        TargetPdu pdu = initiator.receive();
        assertThat(pdu).isInstanceOf(LoginResponsePdu.class);
        return (LoginResponsePdu) pdu;
    }

    private static Map<String, String> keys(LoginResponsePdu response) {
        return Set.of(response.data().toString(StandardCharsets.UTF_8).split("\0")).stream()
                .filter(pair -> pair.contains("="))
                .collect(Collectors.toMap(pair -> pair.substring(0, pair.indexOf('=')), pair -> pair.substring(pair.indexOf('=') + 1)));
    }
}
