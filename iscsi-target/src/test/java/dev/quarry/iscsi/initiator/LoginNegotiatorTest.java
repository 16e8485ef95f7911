package dev.quarry.iscsi.initiator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.iscsi.login.ChapCredentials;
import dev.quarry.iscsi.login.DigestPolicy;
import dev.quarry.iscsi.login.KeyValue;
import dev.quarry.iscsi.login.LoginConversation;
import dev.quarry.iscsi.login.LoginReply;
import dev.quarry.iscsi.login.LoginStep;
import dev.quarry.iscsi.login.NegotiationPolicy;
import dev.quarry.iscsi.login.OperationalParameters;
import dev.quarry.iscsi.login.TargetAccess;
import dev.quarry.iscsi.login.TargetCatalog;
import dev.quarry.iscsi.login.TextCodec;
import dev.quarry.iscsi.pdu.LoginRequestPdu;
import dev.quarry.iscsi.pdu.LoginResponsePdu;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The initiator's login logic talking to the target's own login logic ({@link LoginConversation}),
 * both free of Netty: no authentication, one-way and mutual CHAP with right and wrong secrets,
 * digests, and scripted targets that continue their text or break the rules.
 */
class LoginNegotiatorTest {

    private static final String TARGET = "iqn.2026-11.dev.quarry:login-test";
    private static final InitiatorConfig CONFIG = InitiatorConfig.defaults("iqn.2026-11.dev.quarry:initiator");
    private static final ChapCredentials CHAP = ChapCredentials.of("node1", "initiator-secret-1");
    private static final ChapCredentials MUTUAL = ChapCredentials.mutual("node1", "initiator-secret-1", "array7",
            "target-secret-22");

    record Target(String name, Optional<String> alias, Optional<ChapCredentials> chap) implements TargetAccess {
        @Override
        public boolean admits(String initiatorName) {
            return true;
        }
    }

    private static LoginConversation<Target> targetSide(ChapCredentials chap, NegotiationPolicy policy) {
        TargetCatalog<Target> catalog = new TargetCatalog<>() {
            @Override
            public Optional<Target> find(String name) {
                return name.equals(TARGET) ? Optional.of(new Target(TARGET, Optional.of("disk"), Optional.ofNullable(chap)))
                        : Optional.empty();
            }

            @Override
            public Optional<ChapCredentials> discoveryChap() {
                return Optional.empty();
            }
        };
        return new LoginConversation<>(catalog, (tsih, name, isid) -> false, policy, 1, new Random(9), 65536);
    }

    private static RemoteTarget remote(ChapCredentials chap) {
        RemoteTarget target = RemoteTarget.of(new InetSocketAddress("127.0.0.1", 3260), TARGET, 0);
        return chap == null ? target : target.withChap(chap);
    }

    /** Runs the login to its end; returns the initiator's result. */
    private static OperationalParameters converse(InitiatorConfig config, ChapCredentials ours, LoginConversation<Target> target) {
        LoginNegotiator initiator = new LoginNegotiator(config, remote(ours), new Random(11));
        LoginNegotiator.Request request = initiator.start();
        for (int statSn = 0; statSn < 10; statSn++) {
            LoginRequestPdu pdu = new LoginRequestPdu(request.transit(), false, request.currentStage(), request.nextStage(),
                    0, 0, 0x80_0000_0001L, 0, 1, 0, 100, statSn, Unpooled.wrappedBuffer(TextCodec.encode(request.keys())));
            LoginStep<Target> step;
            try {
                step = target.onRequest(pdu);
            } finally {
                pdu.release();
            }
            LoginNegotiator.Step next = respond(initiator, step.reply(), statSn);
            if (next instanceof LoginNegotiator.Result result) {
                assertThat(step.outcome()).isEqualTo(LoginStep.Outcome.COMPLETE);
                return result.parameters();
            }
            request = (LoginNegotiator.Request) next;
        }
        throw new AssertionError("the login did not end");
    }

    private static LoginNegotiator.Step respond(LoginNegotiator initiator, LoginReply reply, int statSn) {
        return answer(initiator, reply.transit(), false, reply.currentStage(), reply.nextStage(), reply.status().code(),
                TextCodec.encode(reply.keys()));
    }

    private static LoginNegotiator.Step answer(LoginNegotiator initiator, boolean transit, boolean continued, int csg, int nsg, int status,
                                 byte[] text) {
        LoginResponsePdu response = new LoginResponsePdu(transit, continued, csg, nsg, 0, 0, 0x80_0000_0001L, 5, 1, 0, 100,
                163, status >> 8, status & 0xFF, Unpooled.wrappedBuffer(text));
        try {
            return initiator.onResponse(response);
        } finally {
            response.release();
        }
    }

    @Test
    void shouldLogInWithoutAuthentication() {
        OperationalParameters p = converse(CONFIG, null, targetSide(null, NegotiationPolicy.DEFAULT));
        assertThat(p.headerDigest()).isFalse();
        assertThat(p.initialR2t()).isFalse();
        assertThat(p.immediateData()).isTrue();
        assertThat(p.targetMaxRecvDataSegmentLength()).isEqualTo(262144);
        assertThat(p.maxBurstLength()).isEqualTo(1 << 20);
        assertThat(p.effectiveFirstBurstLength()).isEqualTo(262144);
    }

    @Test
    void shouldLogInWithOneWayAndMutualChap() {
        assertThat(converse(CONFIG, CHAP, targetSide(CHAP, NegotiationPolicy.DEFAULT))).isNotNull();
        assertThat(converse(CONFIG, MUTUAL, targetSide(MUTUAL, NegotiationPolicy.DEFAULT))).isNotNull();
    }

    @Test
    void shouldBeRefusedWithAWrongSecretOrNoCredentials() {
        ChapCredentials wrong = ChapCredentials.of("node1", "not-the-secret-1");
        assertThatThrownBy(() -> converse(CONFIG, wrong, targetSide(CHAP, NegotiationPolicy.DEFAULT)))
                .isInstanceOf(LoginRefusedException.class).hasMessageContaining("0x0201")
                .satisfies(e -> assertThat(((LoginRefusedException) e).permanent()).isTrue());
        assertThatThrownBy(() -> converse(CONFIG, null, targetSide(CHAP, NegotiationPolicy.DEFAULT)))
                .isInstanceOf(LoginRefusedException.class).hasMessageContaining("0x0201");
    }

    @Test
    void shouldRefuseATargetThatFailsMutualChapOrSkipsIt() {
        ChapCredentials impostor = ChapCredentials.mutual("node1", "initiator-secret-1", "array7", "guessed-secret-33");
        assertThatThrownBy(() -> converse(CONFIG, MUTUAL, targetSide(impostor, NegotiationPolicy.DEFAULT)))
                .isInstanceOf(LoginRefusedException.class).hasMessageContaining("mutual CHAP")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
        assertThatThrownBy(() -> converse(CONFIG, MUTUAL, targetSide(null, NegotiationPolicy.DEFAULT)))
                .isInstanceOf(LoginRefusedException.class);
    }

    @Test
    void shouldNegotiateRequiredDigestsAndTheTargetsInitialR2t() {
        InitiatorConfig digests = CONFIG.toBuilder().digests(DigestPolicy.REQUIRED, DigestPolicy.REQUIRED).build();
        NegotiationPolicy strict = new NegotiationPolicy(DigestPolicy.ALLOWED, DigestPolicy.ALLOWED, true, true, 8192,
                65536, 16384, 2, 0, 1);
        OperationalParameters p = converse(digests, null, targetSide(null, strict));
        assertThat(p.headerDigest()).isTrue();
        assertThat(p.dataDigest()).isTrue();
        assertThat(p.initialR2t()).isTrue();
        assertThat(p.targetMaxRecvDataSegmentLength()).isEqualTo(8192);
        assertThat(p.maxBurstLength()).isEqualTo(65536);
        assertThat(p.effectiveFirstBurstLength()).isEqualTo(16384);
        assertThat(p.maxOutstandingR2t()).isEqualTo(1);
    }

    @Test
    void shouldCollectTextTheTargetContinues() {
        LoginNegotiator initiator = new LoginNegotiator(CONFIG, remote(null), new Random(1));
        initiator.start();
        LoginNegotiator.Request operational = (LoginNegotiator.Request) answer(initiator, true, false, 0, 1, 0,
                bytes("AuthMethod=None\0TargetPortalGroupTag=1\0"));
        assertThat(operational.currentStage()).isEqualTo(1);
        assertThat(operational.keys()).extracting(KeyValue::key).contains("MaxBurstLength");
        LoginNegotiator.Request more = (LoginNegotiator.Request) answer(initiator, false, true, 1, 0, 0,
                bytes("HeaderDigest=None\0MaxRecvDataSeg"));
        assertThat(more.transit()).isFalse();
        assertThat(more.keys()).isEmpty();
        LoginNegotiator.Step done = answer(initiator, true, false, 1, 3, 0, bytes("mentLength=4096\0ImmediateData=No\0"));
        OperationalParameters p = ((LoginNegotiator.Result) done).parameters();
        assertThat(p.targetMaxRecvDataSegmentLength()).isEqualTo(4096);
        assertThat(p.immediateData()).isFalse();
    }

    @Test
    void shouldAnswerWhatTheTargetOffersBeforeItTransits() {
        LoginNegotiator initiator = new LoginNegotiator(CONFIG, remote(null), new Random(1));
        initiator.start();
        answer(initiator, true, false, 0, 1, 0, bytes("AuthMethod=None\0"));
        LoginNegotiator.Request answers = (LoginNegotiator.Request) answer(initiator, false, false, 1, 0, 0,
                bytes("X-vendor.key=on\0IFMarker=Yes\0MaxOutstandingR2T=1\0"));
        assertThat(answers.keys()).containsExactly(new KeyValue("X-vendor.key", "NotUnderstood"),
                new KeyValue("IFMarker", "No"));
        assertThat(answer(initiator, true, false, 1, 3, 0, new byte[0])).isInstanceOf(LoginNegotiator.Result.class);
    }

    @Test
    void shouldRefuseMalformedOrEndlessLogins() {
        LoginNegotiator malformed = new LoginNegotiator(CONFIG, remote(null), new Random(1));
        malformed.start();
        assertThatThrownBy(() -> answer(malformed, true, false, 0, 1, 0, bytes("AuthMethod=None")))
                .isInstanceOf(LoginRefusedException.class).hasMessageContaining("malformed");
        LoginNegotiator looping = new LoginNegotiator(CONFIG, remote(null), new Random(1));
        looping.start();
        answer(looping, true, false, 0, 1, 0, bytes("AuthMethod=None\0"));
        assertThatThrownBy(() -> {
            for (int i = 0; i < 100; i++) {
                answer(looping, false, false, 1, 0, 0, new byte[0]);
            }
        }).isInstanceOf(LoginRefusedException.class).hasMessageContaining("exchanges");
        LoginNegotiator wrongStage = new LoginNegotiator(CONFIG, remote(null), new Random(1));
        wrongStage.start();
        assertThatThrownBy(() -> answer(wrongStage, true, false, 1, 3, 0, new byte[0]))
                .isInstanceOf(LoginRefusedException.class).hasMessageContaining("stage");
    }

    @Test
    void shouldOfferOnlyChapWhenTheTargetMustProveItself() {
        LoginNegotiator mutual = new LoginNegotiator(CONFIG, remote(MUTUAL), new Random(1));
        assertThat(mutual.start().keys()).contains(new KeyValue("AuthMethod", "CHAP"));
        LoginNegotiator oneWay = new LoginNegotiator(CONFIG, remote(CHAP), new Random(1));
        assertThat(oneWay.start().keys()).contains(new KeyValue("AuthMethod", "CHAP,None"));
        assertThatThrownBy(() -> answer(mutual, true, false, 0, 1, 0, bytes("AuthMethod=None\0")))
                .isInstanceOf(LoginRefusedException.class);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
