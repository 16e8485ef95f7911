package dev.quarry.iscsi.testing;

import dev.quarry.iscsi.pdu.LoginRequestPdu;
import dev.quarry.iscsi.pdu.LoginResponsePdu;
import dev.quarry.iscsi.pdu.TargetPdu;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The login phase as libiscsi runs it (RFC 7143 §6.3): with CHAP, a security stage (AuthMethod,
 * CHAP_A, CHAP_N/CHAP_R and, for mutual CHAP, CHAP_I/CHAP_C, whose answer it verifies), then one
 * operational stage request asking to go to full feature phase.
 *
 * <p>Not thread-safe; one login of one {@link TestInitiator}.
 */
final class InitiatorLogin {

    /** A login response with a non-zero status ends the login. */
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(int status) {
            super(null, null, false, false);
            this.status = status;
        }
    }

    private final TestInitiator initiator;
    private final LoginOptions options;
    private final int tag;
    private final Map<String, String> answered = new LinkedHashMap<>();
    private int tsih;

    InitiatorLogin(TestInitiator initiator, LoginOptions options) {
        this.initiator = initiator;
        this.options = options;
        this.tag = initiator.nextTag();
    }

    LoginOutcome run() {
        initiator.cmdSn(ThreadLocalRandom.current().nextInt());
        try {
            LoginResponsePdu last = options.chapUser() != null ? chap() : operational(identity());
            while (!last.transit()) {
                last = exchange(1, 3, true, "");
            }
            return new LoginOutcome(0, answered, tsih);
        } catch (Refused e) {
            return new LoginOutcome(e.status, answered, 0);
        }
    }

    private LoginResponsePdu chap() throws Refused {
        LoginResponsePdu offered = exchange(0, 1, true, identity() + "AuthMethod=CHAP,None\0");
        if (offered.transit()) {
            return operational("");
        }
        exchange(0, 1, false, "CHAP_A=5\0");
        int identifier = Integer.parseInt(answered.get("CHAP_I"));
        byte[] challenge = HexFormat.of().parseHex(answered.get("CHAP_C").substring(2));
        StringBuilder response = new StringBuilder()
                .append("CHAP_N=").append(options.chapUser()).append('\0')
                .append("CHAP_R=0x").append(HexFormat.of().formatHex(md5(identifier, options.chapSecret(), challenge)))
                .append('\0');
        int mutualId = ThreadLocalRandom.current().nextInt(256);
        byte[] mutualChallenge = new byte[16];
        ThreadLocalRandom.current().nextBytes(mutualChallenge);
        boolean mutual = options.targetChapUser() != null;
        if (mutual) {
            response.append("CHAP_I=").append(mutualId).append('\0')
                    .append("CHAP_C=0x").append(HexFormat.of().formatHex(mutualChallenge)).append('\0');
        }
        answered.remove("CHAP_N");
        answered.remove("CHAP_R");
        LoginResponsePdu verified = exchange(0, 1, true, response.toString());
        if (mutual) {
            String expected = "0x" + HexFormat.of().formatHex(md5(mutualId, options.targetChapSecret(), mutualChallenge));
            if (!options.targetChapUser().equals(answered.get("CHAP_N")) || !expected.equalsIgnoreCase(answered.get("CHAP_R"))) {
                throw new AssertionError("the target failed mutual CHAP: " + answered);
            }
        }
        return verified.transit() ? operational("") : verified;
    }

    private LoginResponsePdu operational(String identity) throws Refused {
        StringBuilder text = new StringBuilder(identity);
        options.operationalKeys().forEach((k, v) -> text.append(k).append('=').append(v).append('\0'));
        return exchange(1, 3, true, text.toString());
    }

    private String identity() {
        StringBuilder text = new StringBuilder("InitiatorName=").append(options.initiatorName()).append('\0');
        if (options.discoverySession()) {
            text.append("SessionType=Discovery\0");
        } else {
            text.append("TargetName=").append(options.targetName()).append('\0').append("SessionType=Normal\0");
        }
        return text.toString();
    }

    private LoginResponsePdu exchange(int csg, int nsg, boolean transit, String text) throws Refused {
        initiator.send(new LoginRequestPdu(transit, false, csg, nsg, 0, 0, options.isid(), options.tsih(), tag, 0,
                initiator.cmdSn(), initiator.expStatSn(), Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)));
        TargetPdu pdu = initiator.receive();
        if (!(pdu instanceof LoginResponsePdu response)) {
            throw new AssertionError("expected a Login Response, got " + pdu);
        }
        try {
            String keys = response.data().toString(StandardCharsets.UTF_8);
            for (String pair : keys.split("\0")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    answered.put(pair.substring(0, equals), pair.substring(equals + 1));
                }
            }
            if (response.status() != 0) {
                throw new Refused(response.status());
            }
            tsih = response.tsih();
            return response;
        } finally {
            response.release();
        }
    }

    static byte[] md5(int identifier, String secret, byte[] challenge) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update((byte) identifier);
            md5.update(secret.getBytes(StandardCharsets.UTF_8));
            md5.update(challenge);
            return md5.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
