package dev.quarry.iscsi.testing;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the {@link TestInitiator} logs in: initiator and target names (no target name: a Discovery
 * session), optional CHAP (one-way or mutual), and the operational keys to offer, which default to
 * what libiscsi offers.
 *
 * <p>Immutable; the {@code with...} methods return copies.
 */
public record LoginOptions(String initiatorName, String targetName, String chapUser, String chapSecret,
                           String targetChapUser, String targetChapSecret, long isid, int tsih,
                           Map<String, String> operationalKeys) {

    /** The initiator name tests log in with unless told otherwise. */
    public static final String DEFAULT_INITIATOR = "iqn.2026-01.dev.quarry:test-initiator";
    /** The ISID tests use unless told otherwise (random qualifier format, RFC 7143 §11.12.5). */
    public static final long DEFAULT_ISID = 0x80_1234_5678_00L;

    public LoginOptions {
        operationalKeys = Collections.unmodifiableMap(new LinkedHashMap<>(operationalKeys));
    }

    /** A Normal session to {@code targetName}, no authentication, libiscsi's operational keys. */
    public static LoginOptions normal(String targetName) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("HeaderDigest", "None");
        keys.put("DataDigest", "None");
        keys.put("InitialR2T", "No");
        keys.put("ImmediateData", "Yes");
        keys.put("MaxBurstLength", "262144");
        keys.put("FirstBurstLength", "262144");
        keys.put("DefaultTime2Wait", "2");
        keys.put("DefaultTime2Retain", "0");
        keys.put("MaxOutstandingR2T", "1");
        keys.put("ErrorRecoveryLevel", "0");
        keys.put("MaxConnections", "1");
        keys.put("MaxRecvDataSegmentLength", "262144");
        keys.put("DataPDUInOrder", "Yes");
        keys.put("DataSequenceInOrder", "Yes");
        return new LoginOptions(DEFAULT_INITIATOR, targetName, null, null, null, null, DEFAULT_ISID, 0, keys);
    }

    /** A Discovery session. */
    public static LoginOptions discovery() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("HeaderDigest", "None");
        keys.put("DataDigest", "None");
        keys.put("MaxRecvDataSegmentLength", "262144");
        return new LoginOptions(DEFAULT_INITIATOR, null, null, null, null, null, DEFAULT_ISID, 0, keys);
    }

    public LoginOptions withInitiatorName(String name) {
        return new LoginOptions(name, targetName, chapUser, chapSecret, targetChapUser, targetChapSecret, isid, tsih,
                operationalKeys);
    }

    public LoginOptions withChap(String user, String secret) {
        return new LoginOptions(initiatorName, targetName, user, secret, null, null, isid, tsih, operationalKeys);
    }

    /** CHAP in both directions: the target must prove {@code targetUser}/{@code targetSecret}. */
    public LoginOptions withMutualChap(String user, String secret, String targetUser, String targetSecret) {
        return new LoginOptions(initiatorName, targetName, user, secret, targetUser, targetSecret, isid, tsih,
                operationalKeys);
    }

    public LoginOptions withIsid(long newIsid) {
        return new LoginOptions(initiatorName, targetName, chapUser, chapSecret, targetChapUser, targetChapSecret, newIsid,
                tsih, operationalKeys);
    }

    public LoginOptions withTsih(int newTsih) {
        return new LoginOptions(initiatorName, targetName, chapUser, chapSecret, targetChapUser, targetChapSecret, isid,
                newTsih, operationalKeys);
    }

    /** Offers {@code key=value} (replacing a default offer of the same key). */
    public LoginOptions withKey(String key, String value) {
        Map<String, String> keys = new LinkedHashMap<>(operationalKeys);
        keys.put(key, value);
        return new LoginOptions(initiatorName, targetName, chapUser, chapSecret, targetChapUser, targetChapSecret, isid,
                tsih, keys);
    }

    /** Does not offer {@code key}. */
    public LoginOptions withoutKey(String key) {
        Map<String, String> keys = new LinkedHashMap<>(operationalKeys);
        keys.remove(key);
        return new LoginOptions(initiatorName, targetName, chapUser, chapSecret, targetChapUser, targetChapSecret, isid,
                tsih, keys);
    }

    public boolean discoverySession() {
        return targetName == null;
    }
}
