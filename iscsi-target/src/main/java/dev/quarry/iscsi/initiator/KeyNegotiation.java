package dev.quarry.iscsi.initiator;

import dev.quarry.iscsi.login.DigestPolicy;
import dev.quarry.iscsi.login.KeyValue;
import dev.quarry.iscsi.login.NegotiationPolicy;
import dev.quarry.iscsi.login.OperationalParameters;
import dev.quarry.iscsi.login.TextKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The initiator's half of operational negotiation (RFC 7143 §6.2, §13): the keys we offer, the
 * check of every answer against the rule of its key (an answer a correct target cannot give ends
 * the login), the answers to keys the target offers itself, and the target's declarations. Keys
 * never answered keep the RFC default.
 *
 * <p>Not thread-safe; one instance per login.
 */
final class KeyNegotiation {

    private static final Set<String> TARGET_DECLARATIONS = Set.of(TextKey.TARGET_ALIAS, TextKey.TARGET_ADDRESS,
            TextKey.TARGET_PORTAL_GROUP_TAG);

    private final InitiatorConfig config;
    private boolean headerDigest;
    private boolean dataDigest;
    private boolean initialR2t = true;
    private boolean immediateData = true;
    private int targetMaxRecvDataSegmentLength = 8192;
    private int maxBurstLength = 262144;
    private int firstBurstLength = 65536;
    private int defaultTime2Wait = 2;
    private int defaultTime2Retain = 20;
    private int maxOutstandingR2t = 1;

    KeyNegotiation(InitiatorConfig config) {
        this.config = config;
    }

    /** What we offer in the first operational request, our MaxRecvDataSegmentLength declaration included. */
    List<KeyValue> offers() {
        return List.of(
                new KeyValue(TextKey.HEADER_DIGEST, digestOffer(config.headerDigest())),
                new KeyValue(TextKey.DATA_DIGEST, digestOffer(config.dataDigest())),
                new KeyValue(TextKey.MAX_CONNECTIONS, "1"),
                new KeyValue(TextKey.INITIAL_R2T, yesNo(config.initialR2t())),
                new KeyValue(TextKey.IMMEDIATE_DATA, yesNo(config.immediateData())),
                new KeyValue(TextKey.MAX_RECV_DATA_SEGMENT_LENGTH, Integer.toString(config.maxRecvDataSegmentLength())),
                new KeyValue(TextKey.MAX_BURST_LENGTH, Integer.toString(config.maxBurstLength())),
                new KeyValue(TextKey.FIRST_BURST_LENGTH, Integer.toString(config.firstBurstLength())),
                new KeyValue(TextKey.DEFAULT_TIME_2_WAIT, "0"),
                new KeyValue(TextKey.DEFAULT_TIME_2_RETAIN, "0"),
                new KeyValue(TextKey.MAX_OUTSTANDING_R2T, Integer.toString(config.maxOutstandingR2t())),
                new KeyValue(TextKey.DATA_PDU_IN_ORDER, TextKey.YES),
                new KeyValue(TextKey.DATA_SEQUENCE_IN_ORDER, TextKey.YES),
                new KeyValue(TextKey.ERROR_RECOVERY_LEVEL, "0"));
    }

    /**
     * Takes in the keys of one complete operational-stage response: answers to our offers are
     * checked and applied, declarations noted, and keys the target offers itself answered.
     *
     * @param offered the keys we offered and have not seen answered yet (updated)
     * @return our answers to the target's own offers, for the next request
     * @throws LoginRefusedException when an answer breaks the rule of its key
     */
    List<KeyValue> accept(Map<String, String> keys, Set<String> offered) {
        List<KeyValue> answers = new ArrayList<>();
        for (var entry : keys.entrySet()) {
            String key = entry.getKey();
            String value = entry.getValue();
            if (TARGET_DECLARATIONS.contains(key)) {
                continue;
            }
            if (key.equals(TextKey.MAX_RECV_DATA_SEGMENT_LENGTH)) {
                targetMaxRecvDataSegmentLength = (int) number(key, value, NegotiationPolicy.MIN_DATA_LENGTH,
                        NegotiationPolicy.MAX_DATA_LENGTH);
            } else if (offered.remove(key)) {
                applyAnswer(key, value);
            } else {
                answers.add(new KeyValue(key, answerOffer(key, value)));
            }
        }
        return answers;
    }

    /** The parameters in force: what was answered, RFC defaults for the rest. */
    OperationalParameters parameters() {
        return new OperationalParameters(headerDigest, dataDigest, 1, initialR2t, immediateData,
                config.maxRecvDataSegmentLength(), targetMaxRecvDataSegmentLength, maxBurstLength,
                Math.min(firstBurstLength, maxBurstLength), defaultTime2Wait, defaultTime2Retain, maxOutstandingR2t,
                true, true, 0);
    }

    /** Applies the target's answer to one of our offers, refusing answers the key's rule forbids. */
    private void applyAnswer(String key, String value) {
        if (value.equals(TextKey.NOT_UNDERSTOOD) || value.equals(TextKey.IRRELEVANT) || value.equals(TextKey.REJECT)) {
            requireDefaultAcceptable(key, value);
            return;
        }
        switch (key) {
            case TextKey.HEADER_DIGEST -> headerDigest = digestAnswer(key, value, config.headerDigest());
            case TextKey.DATA_DIGEST -> dataDigest = digestAnswer(key, value, config.dataDigest());
            case TextKey.MAX_CONNECTIONS -> number(key, value, 1, 1);
            case TextKey.INITIAL_R2T -> initialR2t = orResult(key, value, config.initialR2t());
            case TextKey.IMMEDIATE_DATA -> immediateData = andResult(key, value, config.immediateData());
            case TextKey.MAX_BURST_LENGTH -> maxBurstLength = (int) number(key, value, NegotiationPolicy.MIN_DATA_LENGTH,
                    config.maxBurstLength());
            case TextKey.FIRST_BURST_LENGTH -> firstBurstLength = (int) number(key, value,
                    NegotiationPolicy.MIN_DATA_LENGTH, config.firstBurstLength());
            case TextKey.DEFAULT_TIME_2_WAIT -> defaultTime2Wait = (int) number(key, value, 0, 3600);
            case TextKey.DEFAULT_TIME_2_RETAIN -> defaultTime2Retain = (int) number(key, value, 0, 0);
            case TextKey.MAX_OUTSTANDING_R2T -> maxOutstandingR2t = (int) number(key, value, 1, config.maxOutstandingR2t());
            case TextKey.DATA_PDU_IN_ORDER, TextKey.DATA_SEQUENCE_IN_ORDER -> orResult(key, value, true);
            case TextKey.ERROR_RECOVERY_LEVEL -> number(key, value, 0, 0);
            default -> throw refused(key + " was never offered");
        }
    }

    /**
     * A key we offered came back NotUnderstood, Irrelevant or Reject: the RFC default is in force,
     * taken on the safe side of our offer (no immediate data, no burst above what we offered);
     * a required CRC32C digest cannot be given up.
     */
    private void requireDefaultAcceptable(String key, String value) {
        boolean requiredDigest = key.equals(TextKey.HEADER_DIGEST) && config.headerDigest() == DigestPolicy.REQUIRED
                || key.equals(TextKey.DATA_DIGEST) && config.dataDigest() == DigestPolicy.REQUIRED;
        if (requiredDigest) {
            throw refused("the target answered " + key + "=" + value + " but CRC32C is required");
        }
        switch (key) {
            case TextKey.IMMEDIATE_DATA -> immediateData = false;
            case TextKey.MAX_BURST_LENGTH -> maxBurstLength = Math.min(maxBurstLength, config.maxBurstLength());
            case TextKey.FIRST_BURST_LENGTH -> firstBurstLength = Math.min(firstBurstLength, config.firstBurstLength());
            default -> {
                // The RFC default of every other key is what a target that ignores it does.
            }
        }
    }

    /** Our answer to a key the target offered (RFC 7143 §6.2: the responder's rule applies). */
    private String answerOffer(String key, String value) {
        try {
            return switch (key) {
                case TextKey.HEADER_DIGEST -> {
                    headerDigest = chooseDigest(value, config.headerDigest());
                    yield headerDigest ? TextKey.CRC32C : TextKey.NONE;
                }
                case TextKey.DATA_DIGEST -> {
                    dataDigest = chooseDigest(value, config.dataDigest());
                    yield dataDigest ? TextKey.CRC32C : TextKey.NONE;
                }
                case TextKey.INITIAL_R2T -> yesNo(initialR2t = bool(key, value) || config.initialR2t());
                case TextKey.IMMEDIATE_DATA -> yesNo(immediateData = bool(key, value) && config.immediateData());
                case TextKey.MAX_BURST_LENGTH -> Integer.toString(maxBurstLength = (int) Math.min(config.maxBurstLength(),
                        number(key, value, NegotiationPolicy.MIN_DATA_LENGTH, NegotiationPolicy.MAX_DATA_LENGTH)));
                case TextKey.FIRST_BURST_LENGTH -> Integer.toString(firstBurstLength = (int) Math.min(
                        config.firstBurstLength(), number(key, value, NegotiationPolicy.MIN_DATA_LENGTH,
                                NegotiationPolicy.MAX_DATA_LENGTH)));
                case TextKey.MAX_OUTSTANDING_R2T -> Integer.toString(maxOutstandingR2t = (int) Math.min(
                        config.maxOutstandingR2t(), number(key, value, 1, 65535)));
                case TextKey.DEFAULT_TIME_2_WAIT -> Integer.toString(defaultTime2Wait = (int) number(key, value, 0, 3600));
                case TextKey.DEFAULT_TIME_2_RETAIN -> {
                    number(key, value, 0, 3600);
                    defaultTime2Retain = 0;
                    yield "0";
                }
                case TextKey.MAX_CONNECTIONS, TextKey.ERROR_RECOVERY_LEVEL -> {
                    number(key, value, 0, 65535);
                    yield key.equals(TextKey.MAX_CONNECTIONS) ? "1" : "0";
                }
                case TextKey.DATA_PDU_IN_ORDER, TextKey.DATA_SEQUENCE_IN_ORDER -> {
                    bool(key, value);
                    yield TextKey.YES;
                }
                case TextKey.IF_MARKER, TextKey.OF_MARKER -> TextKey.NO;
                default -> TextKey.NOT_UNDERSTOOD;
            };
        } catch (LoginRefusedException e) {
            return TextKey.REJECT;
        }
    }

    static String digestOffer(DigestPolicy policy) {
        return switch (policy) {
            case NEVER -> TextKey.NONE;
            case ALLOWED -> TextKey.NONE + "," + TextKey.CRC32C;
            case REQUIRED -> TextKey.CRC32C;
        };
    }

    private static boolean digestAnswer(String key, String value, DigestPolicy policy) {
        if (!Arrays.asList(digestOffer(policy).split(",")).contains(value)) {
            throw refused("the target answered " + key + "=" + value + ", which we did not offer");
        }
        return value.equals(TextKey.CRC32C);
    }

    /** The first value of the target's list our policy accepts; true for CRC32C. */
    private static boolean chooseDigest(String offer, DigestPolicy policy) {
        for (String value : offer.split(",", -1)) {
            boolean acceptable = value.equals(TextKey.NONE) && policy != DigestPolicy.REQUIRED
                    || value.equals(TextKey.CRC32C) && policy != DigestPolicy.NEVER;
            if (acceptable) {
                return value.equals(TextKey.CRC32C);
            }
        }
        throw refused("no acceptable digest in " + offer);
    }

    /** A boolean key whose result is the OR: an offered Yes must come back Yes. */
    private static boolean orResult(String key, String value, boolean offered) {
        boolean answer = bool(key, value);
        if (offered && !answer) {
            throw refused("the target answered " + key + "=No to our Yes (the result is the OR)");
        }
        return answer;
    }

    /** A boolean key whose result is the AND: an offered No must come back No. */
    private static boolean andResult(String key, String value, boolean offered) {
        boolean answer = bool(key, value);
        if (!offered && answer) {
            throw refused("the target answered " + key + "=Yes to our No (the result is the AND)");
        }
        return answer;
    }

    private static boolean bool(String key, String value) {
        return switch (value) {
            case TextKey.YES -> true;
            case TextKey.NO -> false;
            default -> throw refused("the target answered " + key + "=" + value + ", not Yes or No");
        };
    }

    /** A numerical value (decimal or 0x hex, RFC 7143 §6.1) in [min, max]. */
    static long number(String key, String value, long min, long max) {
        long parsed;
        try {
            parsed = value.startsWith("0x") || value.startsWith("0X") ? Long.parseLong(value.substring(2), 16)
                    : Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw refused("the target answered " + key + "=" + value + ", not a number");
        }
        if (parsed < min || parsed > max) {
            throw refused("the target answered " + key + "=" + value + ", outside [" + min + ", " + max + "]");
        }
        return parsed;
    }

    private static String yesNo(boolean value) {
        return value ? TextKey.YES : TextKey.NO;
    }

    private static LoginRefusedException refused(String message) {
        return new LoginRefusedException(-1, message);
    }
}
