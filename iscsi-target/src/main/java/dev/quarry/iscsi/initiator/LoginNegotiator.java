package dev.quarry.iscsi.initiator;

import dev.quarry.iscsi.login.ChapResponder;
import dev.quarry.iscsi.login.KeyValue;
import dev.quarry.iscsi.login.LoginException;
import dev.quarry.iscsi.login.LoginStage;
import dev.quarry.iscsi.login.OperationalParameters;
import dev.quarry.iscsi.login.TextCodec;
import dev.quarry.iscsi.login.TextFormatException;
import dev.quarry.iscsi.login.TextKey;
import dev.quarry.iscsi.pdu.LoginResponsePdu;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The initiator's login (RFC 7143 §6.3) as plain logic, free of Netty: the security stage
 * (AuthMethod, then CHAP through {@link ChapResponder}, mutual when configured), then the
 * operational stage ({@link KeyNegotiation}) up to the full feature phase. It also follows a
 * target that continues its text over several responses (C bit) by asking for the rest with
 * empty requests. The connection handler sends the requests it returns and feeds it responses.
 *
 * <p>Not thread-safe; one instance per login, confined to the channel event loop.
 */
final class LoginNegotiator {

    /** A login exchange that needs more than this many round trips is refused (a looping target). */
    private static final int MAX_EXCHANGES = 32;
    /** Bound of a login text the target continues over several responses. */
    private static final int MAX_TEXT_LENGTH = 64 << 10;

    /** What to do after a Login Response: send another request, or enter the full feature phase. */
    sealed interface Step permits Request, Result {
    }

    /** One Login Request to send: flags, stages and text. */
    record Request(boolean transit, int currentStage, int nextStage, List<KeyValue> keys) implements Step {
    }

    /** The login reached the full feature phase with these parameters. */
    record Result(OperationalParameters parameters) implements Step {
    }

    private enum Security { AUTH_METHOD_OFFERED, ALGORITHM_OFFERED, RESPONSE_SENT, DONE }

    private final RemoteTarget target;
    private final String initiatorName;
    private final KeyNegotiation keys;
    private final ChapResponder chap;
    private final ByteArrayOutputStream continued = new ByteArrayOutputStream();
    private LoginStage stage = LoginStage.SECURITY_NEGOTIATION;
    private Security security = Security.AUTH_METHOD_OFFERED;
    private Set<String> unanswered = Set.of();
    private Request last;
    private int exchanges;

    LoginNegotiator(InitiatorConfig config, RemoteTarget target, RandomGenerator random) {
        this.target = target;
        this.initiatorName = config.initiatorName();
        this.keys = new KeyNegotiation(config);
        this.chap = target.chap().map(c -> new ChapResponder(c, random)).orElse(null);
    }

    /** The first Login Request: who we are, what we log in to, how we authenticate. */
    Request start() {
        List<KeyValue> first = new ArrayList<>(List.of(new KeyValue(TextKey.INITIATOR_NAME, initiatorName),
                new KeyValue(TextKey.TARGET_NAME, target.targetName()),
                new KeyValue(TextKey.SESSION_TYPE, TextKey.NORMAL)));
        String methods = chap == null ? TextKey.NONE : chap.mutual() ? TextKey.CHAP : TextKey.CHAP + "," + TextKey.NONE;
        first.add(new KeyValue(TextKey.AUTH_METHOD, methods));
        return send(new Request(true, LoginStage.SECURITY_NEGOTIATION.code(), LoginStage.OPERATIONAL_NEGOTIATION.code(), first));
    }

    /**
     * Takes in one Login Response (borrowed) and returns the next request, or the result once the
     * target moved to the full feature phase.
     *
     * @throws LoginRefusedException when the target refused us, or we refuse the target
     */
    Step onResponse(LoginResponsePdu response) {
        if (response.status() != 0) {
            throw new LoginRefusedException(response.status(), "the target refused the login to " + target.describe()
                    + " with status " + LoginRefusedException.describe(response.status()));
        }
        if (++exchanges > MAX_EXCHANGES) {
            throw new LoginRefusedException(-1, "the login did not finish within " + MAX_EXCHANGES + " exchanges");
        }
        if (response.currentStage() != stage.code()) {
            throw new LoginRefusedException(-1, "the target answered in stage " + response.currentStage() + " to our " + stage);
        }
        byte[] segment = new byte[response.data().readableBytes()];
        response.data().getBytes(response.data().readerIndex(), segment);
        if (continued.size() + segment.length > MAX_TEXT_LENGTH) {
            throw new LoginRefusedException(-1, "the target's login text exceeds " + MAX_TEXT_LENGTH + " bytes");
        }
        continued.writeBytes(segment);
        if (response.continueFlag()) {
            if (response.transit()) {
                throw new LoginRefusedException(-1, "the target set both C and T");
            }
            return send(new Request(false, stage.code(), last.nextStage(), List.of()));
        }
        Map<String, String> text = decode();
        return stage == LoginStage.SECURITY_NEGOTIATION ? onSecurity(response, text) : onOperational(response, text);
    }

    private Step onSecurity(LoginResponsePdu response, Map<String, String> text) {
        List<KeyValue> next = switch (security) {
            case AUTH_METHOD_OFFERED -> chooseMethod(text.get(TextKey.AUTH_METHOD));
            case ALGORITHM_OFFERED -> chapRespond(text);
            case RESPONSE_SENT -> {
                verifyTarget(text);
                yield List.of();
            }
            case DONE -> List.of();
        };
        if (security != Security.DONE) {
            boolean transit = security == Security.RESPONSE_SENT;
            return send(new Request(transit, stage.code(), LoginStage.OPERATIONAL_NEGOTIATION.code(), next));
        }
        if (!response.transit()) {
            return send(new Request(true, stage.code(), LoginStage.OPERATIONAL_NEGOTIATION.code(), List.of()));
        }
        if (response.nextStage() == LoginStage.FULL_FEATURE_PHASE.code()) {
            return new Result(keys.parameters());
        }
        stage = LoginStage.OPERATIONAL_NEGOTIATION;
        List<KeyValue> offers = keys.offers();
        unanswered = new LinkedHashSet<>();
        offers.forEach(o -> unanswered.add(o.key()));
        unanswered.remove(TextKey.MAX_RECV_DATA_SEGMENT_LENGTH);
        return send(new Request(true, stage.code(), LoginStage.FULL_FEATURE_PHASE.code(), offers));
    }

    private Step onOperational(LoginResponsePdu response, Map<String, String> text) {
        List<KeyValue> answers = keys.accept(text, unanswered);
        if (response.transit() && response.nextStage() == LoginStage.FULL_FEATURE_PHASE.code()) {
            return new Result(keys.parameters());
        }
        return send(new Request(true, stage.code(), LoginStage.FULL_FEATURE_PHASE.code(), answers));
    }

    /** The target's AuthMethod answer: CHAP starts the exchange, None ends the stage (unless we need mutual CHAP). */
    private List<KeyValue> chooseMethod(String method) {
        if (TextKey.CHAP.equals(method) && chap != null) {
            security = Security.ALGORITHM_OFFERED;
            return chap.offer();
        }
        if (TextKey.NONE.equals(method) && (chap == null || !chap.mutual())) {
            security = Security.DONE;
            return List.of();
        }
        throw new LoginRefusedException(-1, "the target chose AuthMethod=" + method + ", which we cannot use with "
                + target.describe() + (chap == null ? " (no CHAP credentials configured)" : ""));
    }

    private List<KeyValue> chapRespond(Map<String, String> text) {
        try {
            List<KeyValue> answer = chap.respond(text);
            security = Security.RESPONSE_SENT;
            return answer;
        } catch (LoginException e) {
            throw new LoginRefusedException(-1, e.getMessage());
        }
    }

    private void verifyTarget(Map<String, String> text) {
        if (chap.mutual()) {
            try {
                chap.verify(text);
            } catch (LoginException e) {
                throw new LoginRefusedException(-1, e.getMessage() + " (" + target.describe() + ")");
            }
        }
        security = Security.DONE;
    }

    private Request send(Request request) {
        last = request;
        return request;
    }

    private Map<String, String> decode() {
        byte[] bytes = continued.toByteArray();
        continued.reset();
        try {
            return TextCodec.decode(bytes);
        } catch (TextFormatException e) {
            throw new LoginRefusedException(-1, "the target sent malformed login text: " + e.getMessage());
        }
    }
}
