package dev.quarry.iscsi.login;

import dev.quarry.iscsi.pdu.LoginStatus;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongUnaryOperator;
import java.util.function.Predicate;

/**
 * Every text key of RFC 7143 §13 (plus the RFC 7144/7145 keys initiators send) with its own
 * negotiation rule: how the answer is computed from the initiator's offer and the target's
 * policy, where the key may appear ({@link Use}) and whether a Discovery session ignores it.
 * Identity and security keys are listed so that a full feature Text Request that tries to
 * renegotiate them gets {@code Reject}; during login {@link LoginConversation} handles them.
 *
 * <p>Immutable and thread-safe.
 */
enum OperationalKey {
    HEADER_DIGEST(TextKey.HEADER_DIGEST, Use.LOGIN_ONLY, false) {
        @Override
        String answer(String offer, OperationalParameters.Builder b, NegotiationPolicy policy) {
            String chosen = chooseDigest(offer, policy.headerDigest());
            b.headerDigest = TextKey.CRC32C.equals(chosen);
            return chosen == null ? TextKey.REJECT : chosen;
        }
    },
    DATA_DIGEST(TextKey.DATA_DIGEST, Use.LOGIN_ONLY, false) {
        @Override
        String answer(String offer, OperationalParameters.Builder b, NegotiationPolicy policy) {
            String chosen = chooseDigest(offer, policy.dataDigest());
            b.dataDigest = TextKey.CRC32C.equals(chosen);
            return chosen == null ? TextKey.REJECT : chosen;
        }
    },
    MAX_CONNECTIONS(TextKey.MAX_CONNECTIONS, Use.LOGIN_ONLY, true) {
        @Override
        String answer(String offer, OperationalParameters.Builder b, NegotiationPolicy policy) {
            return numeric(offer, 1, 65535, value -> b.maxConnections = 1);
        }
    },
    INITIAL_R2T(TextKey.INITIAL_R2T, Use.LOGIN_ONLY, true) {
        @Override
        String answer(String offer, OperationalParameters.Builder b, NegotiationPolicy policy) {
            return bool(offer, value -> b.initialR2t = value || policy.initialR2t());
        }
    },
    IMMEDIATE_DATA(TextKey.IMMEDIATE_DATA, Use.LOGIN_ONLY, true) {
        @Override
        String answer(String offer, OperationalParameters.Builder b, NegotiationPolicy policy) {
            return bool(offer, value -> b.immediateData = value && policy.immediateData());
        }
    },
    MAX_RECV_DATA_SEGMENT_LENGTH(TextKey.MAX_RECV_DATA_SEGMENT_LENGTH, Use.ANY, false) {
        @Override
        String answer(String offer, OperationalParameters.Builder b, NegotiationPolicy policy) throws LoginException {
            long value = number(offer, NegotiationPolicy.MIN_DATA_LENGTH, NegotiationPolicy.MAX_DATA_LENGTH);
            if (value < 0) {
                throw new LoginException(LoginStatus.INITIATOR_ERROR, "MaxRecvDataSegmentLength out of range: " + offer);
            }
            b.initiatorMaxRecvDataSegmentLength = (int) value;
            return null;
        }
    },
    MAX_BURST_LENGTH(TextKey.MAX_BURST_LENGTH, Use.LOGIN_ONLY, true) {
        @Override
        String answer(String offer, OperationalParameters.Builder b, NegotiationPolicy policy) {
            return numeric(offer, NegotiationPolicy.MIN_DATA_LENGTH, NegotiationPolicy.MAX_DATA_LENGTH,
                    value -> b.maxBurstLength = (int) Math.min(value, policy.maxBurstLength()));
        }
    },
    FIRST_BURST_LENGTH(TextKey.FIRST_BURST_LENGTH, Use.LOGIN_ONLY, true) {
        @Override
        String answer(String offer, OperationalParameters.Builder b, NegotiationPolicy policy) {
            return numeric(offer, NegotiationPolicy.MIN_DATA_LENGTH, NegotiationPolicy.MAX_DATA_LENGTH,
                    value -> b.firstBurstLength = (int) Math.min(Math.min(value, policy.firstBurstLength()), b.maxBurstLength));
        }
    },
    DEFAULT_TIME_2_WAIT(TextKey.DEFAULT_TIME_2_WAIT, Use.LOGIN_ONLY, false) {
        @Override
        String answer(String offer, OperationalParameters.Builder b, NegotiationPolicy policy) {
            return numeric(offer, 0, 3600, value -> b.defaultTime2Wait = (int) Math.max(value, policy.defaultTime2Wait()));
        }
    },
    DEFAULT_TIME_2_RETAIN(TextKey.DEFAULT_TIME_2_RETAIN, Use.LOGIN_ONLY, false) {
        @Override
        String answer(String offer, OperationalParameters.Builder b, NegotiationPolicy policy) {
            return numeric(offer, 0, 3600, value -> b.defaultTime2Retain = (int) Math.min(value, policy.defaultTime2Retain()));
        }
    },
    MAX_OUTSTANDING_R2T(TextKey.MAX_OUTSTANDING_R2T, Use.LOGIN_ONLY, true) {
        @Override
        String answer(String offer, OperationalParameters.Builder b, NegotiationPolicy policy) {
            return numeric(offer, 1, 65535, value -> b.maxOutstandingR2t = (int) Math.min(value, policy.maxOutstandingR2t()));
        }
    },
    DATA_PDU_IN_ORDER(TextKey.DATA_PDU_IN_ORDER, Use.LOGIN_ONLY, true) {
        @Override
        String answer(String offer, OperationalParameters.Builder b, NegotiationPolicy policy) {
            return bool(offer, value -> true);
        }
    },
    DATA_SEQUENCE_IN_ORDER(TextKey.DATA_SEQUENCE_IN_ORDER, Use.LOGIN_ONLY, true) {
        @Override
        String answer(String offer, OperationalParameters.Builder b, NegotiationPolicy policy) {
            return bool(offer, value -> true);
        }
    },
    ERROR_RECOVERY_LEVEL(TextKey.ERROR_RECOVERY_LEVEL, Use.LOGIN_ONLY, false) {
        @Override
        String answer(String offer, OperationalParameters.Builder b, NegotiationPolicy policy) {
            return numeric(offer, 0, 2, value -> 0);
        }
    },
    IF_MARKER(TextKey.IF_MARKER, Use.LOGIN_ONLY, false) {
        @Override
        String answer(String offer, OperationalParameters.Builder b, NegotiationPolicy policy) {
            return obsoleteMarker(offer);
        }
    },
    OF_MARKER(TextKey.OF_MARKER, Use.LOGIN_ONLY, false) {
        @Override
        String answer(String offer, OperationalParameters.Builder b, NegotiationPolicy policy) {
            return obsoleteMarker(offer);
        }
    },
    IF_MARK_INT(TextKey.IF_MARK_INT, Use.LOGIN_ONLY, false),
    OF_MARK_INT(TextKey.OF_MARK_INT, Use.LOGIN_ONLY, false),
    TASK_REPORTING(TextKey.TASK_REPORTING, Use.LOGIN_ONLY, true) {
        @Override
        String answer(String offer, OperationalParameters.Builder b, NegotiationPolicy policy) {
            for (String value : offer.split(",", -1)) {
                if (value.equals("RFC3720")) {
                    return value;
                }
            }
            return TextKey.REJECT;
        }
    },
    ISCSI_PROTOCOL_LEVEL(TextKey.ISCSI_PROTOCOL_LEVEL, Use.LOGIN_ONLY, false) {
        @Override
        String answer(String offer, OperationalParameters.Builder b, NegotiationPolicy policy) {
            return numeric(offer, 0, 31, value -> Math.min(value, 1));
        }
    },
    RDMA_EXTENSIONS(TextKey.RDMA_EXTENSIONS, Use.LOGIN_ONLY, false) {
        @Override
        String answer(String offer, OperationalParameters.Builder b, NegotiationPolicy policy) {
            return bool(offer, value -> false);
        }
    },
    INITIATOR_RECV_DATA_SEGMENT_LENGTH(TextKey.INITIATOR_RECV_DATA_SEGMENT_LENGTH, Use.LOGIN_ONLY, false) {
        @Override
        String answer(String offer, OperationalParameters.Builder b, NegotiationPolicy policy) {
            return TextKey.IRRELEVANT;
        }
    },
    TARGET_RECV_DATA_SEGMENT_LENGTH(TextKey.TARGET_RECV_DATA_SEGMENT_LENGTH, Use.LOGIN_ONLY, false) {
        @Override
        String answer(String offer, OperationalParameters.Builder b, NegotiationPolicy policy) {
            return TextKey.IRRELEVANT;
        }
    },
    INITIATOR_ALIAS(TextKey.INITIATOR_ALIAS, Use.ANY, false) {
        @Override
        String answer(String offer, OperationalParameters.Builder b, NegotiationPolicy policy) {
            return null;
        }
    },
    SEND_TARGETS(TextKey.SEND_TARGETS, Use.FULL_FEATURE_ONLY, false),
    TARGET_ALIAS(TextKey.TARGET_ALIAS, Use.TARGET_ONLY, false),
    TARGET_ADDRESS(TextKey.TARGET_ADDRESS, Use.TARGET_ONLY, false),
    TARGET_PORTAL_GROUP_TAG(TextKey.TARGET_PORTAL_GROUP_TAG, Use.TARGET_ONLY, false),
    INITIATOR_NAME(TextKey.INITIATOR_NAME, Use.LOGIN_ONLY, false),
    TARGET_NAME(TextKey.TARGET_NAME, Use.LOGIN_ONLY, false),
    SESSION_TYPE(TextKey.SESSION_TYPE, Use.LOGIN_ONLY, false),
    AUTH_METHOD(TextKey.AUTH_METHOD, Use.LOGIN_ONLY, false),
    CHAP_A(TextKey.CHAP_A, Use.LOGIN_ONLY, false),
    CHAP_I(TextKey.CHAP_I, Use.LOGIN_ONLY, false),
    CHAP_C(TextKey.CHAP_C, Use.LOGIN_ONLY, false),
    CHAP_N(TextKey.CHAP_N, Use.LOGIN_ONLY, false),
    CHAP_R(TextKey.CHAP_R, Use.LOGIN_ONLY, false);

    /** Where a key may be negotiated (RFC 7143 §13 "Use"). */
    enum Use {
        /** IO or LO: only during login (leading connection only, which is every connection here). */
        LOGIN_ONLY,
        /** ALL: during login and in full feature phase. */
        ANY,
        /** FFPO: only in full feature phase (SendTargets, answered by the text exchange). */
        FULL_FEATURE_ONLY,
        /** Only the target sends it; an initiator offering it gets Reject. */
        TARGET_ONLY
    }

    private static final Map<String, OperationalKey> BY_NAME = new HashMap<>();

    static {
        for (OperationalKey key : values()) {
            if (BY_NAME.put(key.wireName, key) != null) {
                throw new AssertionError("duplicate key " + key.wireName);
            }
        }
    }

    private final String wireName;
    private final Use use;
    private final boolean irrelevantInDiscovery;

    OperationalKey(String wireName, Use use, boolean irrelevantInDiscovery) {
        this.wireName = wireName;
        this.use = use;
        this.irrelevantInDiscovery = irrelevantInDiscovery;
    }

    /** The key for {@code name}, or {@code null} when not understood. */
    static OperationalKey of(String name) {
        return BY_NAME.get(name);
    }

    String wireName() {
        return wireName;
    }

    Use use() {
        return use;
    }

    /** Keys that RFC 7143 §13 marks "Irrelevant when: SessionType=Discovery". */
    boolean irrelevantInDiscovery() {
        return irrelevantInDiscovery;
    }

    /**
     * The answer to {@code offer}, updating {@code b} with the result; {@code null} when the key is
     * declarative and needs no answer. The default refuses the key (obsolete or misplaced keys).
     *
     * @throws LoginException when the offer is so wrong that the login must fail
     */
    String answer(String offer, OperationalParameters.Builder b, NegotiationPolicy policy) throws LoginException {
        return TextKey.REJECT;
    }

    /** The first value of the initiator's list that {@code policy} accepts (RFC 7143 §6.2). */
    static String chooseDigest(String offer, DigestPolicy policy) {
        for (String value : offer.split(",", -1)) {
            if (policy.accepts(value)) {
                return value;
            }
        }
        return null;
    }

    /**
     * A numerical value (RFC 7143 §6.1: decimal or 0x hex) within [min, max], or -1 when it is not
     * a well-formed number in range.
     */
    static long number(String value, long min, long max) {
        long parsed;
        try {
            if (value.startsWith("0x") || value.startsWith("0X")) {
                parsed = value.length() > 2 && value.length() <= 18 ? Long.parseUnsignedLong(value.substring(2), 16) : -1;
            } else {
                parsed = !value.isEmpty() && value.length() <= 19 && value.chars().allMatch(Character::isDigit)
                        ? Long.parseLong(value) : -1;
            }
        } catch (NumberFormatException e) {
            return -1;
        }
        return parsed >= min && parsed <= max ? parsed : -1;
    }

    /**
     * The answer to a numerical key: {@code Reject} unless the offer is a number in [min, max],
     * else the result {@code rule} computes from it (and records in the builder).
     */
    static String numeric(String offer, long min, long max, LongUnaryOperator rule) {
        long value = number(offer, min, max);
        return value < 0 ? TextKey.REJECT : Long.toString(rule.applyAsLong(value));
    }

    /** The answer to a boolean key: {@code Reject} unless Yes or No, else what {@code rule} makes of it. */
    static String bool(String offer, Predicate<Boolean> rule) {
        Boolean value = bool(offer);
        return value == null ? TextKey.REJECT : yesNo(rule.test(value));
    }

    /** A boolean value ({@code Yes}/{@code No}), or {@code null} when neither. */
    static Boolean bool(String value) {
        return switch (value) {
            case TextKey.YES -> Boolean.TRUE;
            case TextKey.NO -> Boolean.FALSE;
            default -> null;
        };
    }

    static String yesNo(boolean value) {
        return value ? TextKey.YES : TextKey.NO;
    }

    /**
     * RFC 7143 §13.26: IFMarker/OFMarker SHOULD be answered Reject, MAY be answered No, never
     * NotUnderstood. Quarry answers No, which RFC 3720 initiators also understand.
     */
    static String obsoleteMarker(String offer) {
        return bool(offer, value -> false);
    }
}
