package dev.quarry.iscsi.login;

import dev.quarry.iscsi.pdu.LoginRequestPdu;
import dev.quarry.iscsi.pdu.LoginStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * One connection's login phase (RFC 7143 §6.3): validates each Login Request, collects continued
 * text (C bit), establishes who logs in to what, runs security negotiation then operational
 * negotiation, and decides the stage transitions. It knows nothing of Netty: the connection
 * handler feeds it requests and sends the replies it returns.
 *
 * <p>Not thread-safe; confined to the channel event loop.
 *
 * @param <T> the server's target type
 */
public final class LoginConversation<T extends TargetAccess> {

    /** The one iSCSI version there is (RFC 7143 §11.12.4). */
    public static final int VERSION = 0x00;
    /** Login PDUs carry at most 8192 bytes of text (RFC 7143 §13.12). */
    public static final int MAX_LOGIN_DATA_SEGMENT_LENGTH = 8192;
    /** iSCSI names are at most 223 bytes (RFC 7143 §4.2.7.1). */
    private static final int MAX_NAME_LENGTH = 223;
    private static final List<String> IDENTITY_KEYS = List.of(TextKey.INITIATOR_NAME, TextKey.TARGET_NAME,
            TextKey.SESSION_TYPE, TextKey.INITIATOR_ALIAS);

    private final TargetCatalog<T> catalog;
    private final ExistingSessions sessions;
    private final NegotiationPolicy policy;
    private final int portalGroupTag;
    private final RandomGenerator random;
    private final TextAccumulator text;

    private LoginRequestPdu first;
    private LoginStage stage;
    private String initiatorName;
    private String initiatorAlias;
    private SessionType sessionType;
    private T target;
    private SecurityNegotiation security;
    private OperationalParameters parameters = OperationalParameters.DEFAULTS;
    private Set<String> negotiated = Set.of();
    private boolean targetKeysDeclared;
    private boolean segmentLengthDeclared;

    /**
     * @param random source of CHAP identifiers and challenges: a {@code SecureRandom}
     * @param maxTextLength bound of a login text continued over several PDUs
     */
    public LoginConversation(TargetCatalog<T> catalog, ExistingSessions sessions, NegotiationPolicy policy,
                             int portalGroupTag, RandomGenerator random, int maxTextLength) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.portalGroupTag = portalGroupTag;
        this.random = Objects.requireNonNull(random, "random");
        this.text = new TextAccumulator(maxTextLength);
    }

    /** Answers one Login Request (borrowed). */
    public LoginStep<T> onRequest(LoginRequestPdu request) {
        try {
            return handle(request);
        } catch (LoginException e) {
            text.reset();
            LoginReply reply = new LoginReply(false, request.currentStage() & 1, 0, e.status(), List.of());
            return new LoginStep<>(reply, LoginStep.Outcome.FAIL, null, e.getMessage());
        }
    }

    /** The session type, once the first request was understood; {@code null} before. */
    public SessionType sessionType() {
        return sessionType;
    }

    /** The initiator name, once the first request was understood; {@code null} before. */
    public String initiatorName() {
        return initiatorName;
    }

    private LoginStep<T> handle(LoginRequestPdu request) throws LoginException {
        checkFlags(request);
        checkSameLogin(request);
        try {
            text.append(request.data());
        } catch (TextFormatException e) {
            throw new LoginException(LoginStatus.INITIATOR_ERROR, e.getMessage());
        }
        if (request.continueFlag()) {
            return step(new LoginReply(false, stage.code(), 0, LoginStatus.SUCCESS, List.of()), null);
        }
        Map<String, String> keys = new LinkedHashMap<>(decode(text.take()));
        List<KeyValue> answers = new ArrayList<>();
        if (sessionType == null) {
            establishIdentity(request, keys);
        } else {
            dropRedeclaredIdentity(keys);
        }
        declareTarget(answers);
        Map<String, String> securityKeys = extractSecurityKeys(keys);
        if (stage == LoginStage.SECURITY_NEGOTIATION) {
            answers.addAll(security.process(securityKeys, request.transit()));
        } else if (!securityKeys.isEmpty()) {
            throw new LoginException(LoginStatus.INITIATOR_ERROR, "security keys in operational negotiation");
        }
        negotiateOperational(keys, answers);
        return transit(request, answers);
    }

    /** The first request fixes version, stage, ISID, TSIH and CID; later ones must keep them. */
    private void checkSameLogin(LoginRequestPdu request) throws LoginException {
        if (first == null) {
            if (request.versionMin() > VERSION) {
                throw new LoginException(LoginStatus.UNSUPPORTED_VERSION, "VersionMin " + request.versionMin());
            }
            first = request;
            stage = LoginStage.ofCode(request.currentStage());
        } else if (request.currentStage() != stage.code() || request.isid() != first.isid()
                || request.tsih() != first.tsih() || request.cid() != first.cid()) {
            throw new LoginException(LoginStatus.INITIATOR_ERROR, "CSG, ISID, TSIH or CID changed during login");
        }
    }

    /** RFC 7143 §11.12.2: C requires T=0; CSG is 0 or 1; with T, NSG is 1 or 3 and above CSG. */
    private static void checkFlags(LoginRequestPdu request) throws LoginException {
        int csg = request.currentStage();
        int nsg = request.nextStage();
        if (request.continueFlag() && request.transit()) {
            throw new LoginException(LoginStatus.INITIATOR_ERROR, "C and T both set");
        }
        if (csg != LoginStage.SECURITY_NEGOTIATION.code() && csg != LoginStage.OPERATIONAL_NEGOTIATION.code()) {
            throw new LoginException(LoginStatus.INITIATOR_ERROR, "invalid CSG " + csg);
        }
        if (request.transit() && (LoginStage.ofCode(nsg) == null || nsg <= csg)) {
            throw new LoginException(LoginStatus.INITIATOR_ERROR, "invalid NSG " + nsg + " from CSG " + csg);
        }
    }

    private void establishIdentity(LoginRequestPdu request, Map<String, String> keys) throws LoginException {
        initiatorName = keys.remove(TextKey.INITIATOR_NAME);
        if (initiatorName == null) {
            throw new LoginException(LoginStatus.MISSING_PARAMETER, "InitiatorName missing");
        }
        if (!validName(initiatorName)) {
            throw new LoginException(LoginStatus.INITIATOR_ERROR, "invalid InitiatorName");
        }
        initiatorAlias = keys.remove(TextKey.INITIATOR_ALIAS);
        String type = keys.remove(TextKey.SESSION_TYPE);
        SessionType requested = type == null ? SessionType.NORMAL : SessionType.ofValue(type);
        if (requested == null) {
            throw new LoginException(LoginStatus.SESSION_TYPE_NOT_SUPPORTED, "SessionType " + type);
        }
        String targetName = keys.remove(TextKey.TARGET_NAME);
        Optional<ChapCredentials> credentials;
        if (requested == SessionType.NORMAL) {
            if (targetName == null) {
                throw new LoginException(LoginStatus.MISSING_PARAMETER, "TargetName missing");
            }
            target = catalog.find(targetName)
                    .orElseThrow(() -> new LoginException(LoginStatus.NOT_FOUND, "no target " + targetName));
            if (!target.admits(initiatorName)) {
                throw new LoginException(LoginStatus.AUTHORIZATION_FAILURE, initiatorName + " may not log in to " + targetName);
            }
            credentials = target.chap();
        } else {
            credentials = catalog.discoveryChap();
        }
        if (request.tsih() != 0) {
            throw new LoginException(sessions.exists(request.tsih(), initiatorName, request.isid())
                    ? LoginStatus.TOO_MANY_CONNECTIONS : LoginStatus.SESSION_DOES_NOT_EXIST,
                    "login to TSIH " + request.tsih() + ": one connection per session");
        }
        sessionType = requested;
        security = new SecurityNegotiation(credentials.orElse(null), random);
        if (stage == LoginStage.OPERATIONAL_NEGOTIATION) {
            security.skip();
        }
    }

    /**
     * Real initiators repeat their identity in later login requests: libiscsi (QEMU's initiator)
     * sends InitiatorName and SessionType again in the operational stage after AuthMethod=None.
     * The same value again is harmless and dropped; a different value is an initiator error.
     */
    private void dropRedeclaredIdentity(Map<String, String> keys) throws LoginException {
        Map<String, String> declared = new java.util.HashMap<>();
        declared.put(TextKey.INITIATOR_NAME, initiatorName);
        declared.put(TextKey.SESSION_TYPE, sessionType.value());
        if (initiatorAlias != null) {
            declared.put(TextKey.INITIATOR_ALIAS, initiatorAlias);
        }
        if (target != null) {
            declared.put(TextKey.TARGET_NAME, target.name());
        }
        for (String key : IDENTITY_KEYS) {
            String value = keys.remove(key);
            if (value != null && !value.equals(declared.get(key))) {
                throw new LoginException(LoginStatus.INITIATOR_ERROR, key + " changed during login");
            }
        }
    }

    /** TargetPortalGroupTag (and TargetAlias) go in the first response of a Normal session (RFC 7143 §13.9). */
    private void declareTarget(List<KeyValue> answers) {
        if (targetKeysDeclared || sessionType != SessionType.NORMAL) {
            return;
        }
        targetKeysDeclared = true;
        target.alias().ifPresent(alias -> answers.add(new KeyValue(TextKey.TARGET_ALIAS, alias)));
        answers.add(new KeyValue(TextKey.TARGET_PORTAL_GROUP_TAG, Integer.toString(portalGroupTag)));
    }

    private static Map<String, String> extractSecurityKeys(Map<String, String> keys) {
        Map<String, String> security = new LinkedHashMap<>();
        keys.entrySet().removeIf(e -> {
            boolean isSecurity = e.getKey().equals(TextKey.AUTH_METHOD) || e.getKey().startsWith("CHAP_");
            if (isSecurity) {
                security.put(e.getKey(), e.getValue());
            }
            return isSecurity;
        });
        return security;
    }

    private void negotiateOperational(Map<String, String> keys, List<KeyValue> answers) throws LoginException {
        NegotiationResult result = OperationalNegotiator.negotiate(OperationalNegotiator.Phase.LOGIN, sessionType, keys,
                parameters, negotiated, policy);
        if (result.failure() != null) {
            throw result.failure();
        }
        answers.addAll(result.answers());
        parameters = result.parameters();
        negotiated = result.negotiated();
    }

    private LoginStep<T> transit(LoginRequestPdu request, List<KeyValue> answers) throws LoginException {
        boolean transit = request.transit() && (stage != LoginStage.SECURITY_NEGOTIATION || security.complete());
        LoginStage next = transit ? LoginStage.ofCode(request.nextStage()) : stage;
        if (!segmentLengthDeclared && (stage == LoginStage.OPERATIONAL_NEGOTIATION || next == LoginStage.FULL_FEATURE_PHASE)) {
            segmentLengthDeclared = true;
            answers.add(new KeyValue(TextKey.MAX_RECV_DATA_SEGMENT_LENGTH, Integer.toString(policy.maxRecvDataSegmentLength())));
            parameters = parameters.toBuilder().targetMaxRecvDataSegmentLength(policy.maxRecvDataSegmentLength()).build();
        }
        if (TextCodec.encodedLength(answers) > MAX_LOGIN_DATA_SEGMENT_LENGTH) {
            throw new LoginException(LoginStatus.INITIATOR_ERROR, "the answer would exceed " + MAX_LOGIN_DATA_SEGMENT_LENGTH
                    + " bytes");
        }
        LoginReply reply = new LoginReply(transit, stage.code(), transit ? next.code() : 0, LoginStatus.SUCCESS, answers);
        stage = next;
        if (next != LoginStage.FULL_FEATURE_PHASE) {
            return step(reply, null);
        }
        requireDigests();
        return step(reply, new LoginResult<>(sessionType, initiatorName, initiatorAlias, first.isid(), first.cid(), target,
                parameters, first.cmdSn()));
    }

    private void requireDigests() throws LoginException {
        if (policy.headerDigest() == DigestPolicy.REQUIRED && !parameters.headerDigest()
                || policy.dataDigest() == DigestPolicy.REQUIRED && !parameters.dataDigest()) {
            throw new LoginException(LoginStatus.INITIATOR_ERROR, "the target requires CRC32C digests");
        }
    }

    private LoginStep<T> step(LoginReply reply, LoginResult<T> result) {
        return new LoginStep<>(reply, result == null ? LoginStep.Outcome.CONTINUE : LoginStep.Outcome.COMPLETE, result, null);
    }

    private static Map<String, String> decode(byte[] bytes) throws LoginException {
        try {
            return TextCodec.decode(bytes);
        } catch (TextFormatException e) {
            throw new LoginException(LoginStatus.INITIATOR_ERROR, e.getMessage());
        }
    }

    /** RFC 7143 §4.2.7: iqn., eui. or naa. names of at most 223 bytes. */
    static boolean validName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return name.length() > 4 && name.getBytes(StandardCharsets.UTF_8).length <= MAX_NAME_LENGTH
                && (lower.startsWith("iqn.") || lower.startsWith("eui.") || lower.startsWith("naa."));
    }
}
