package dev.quarry.iscsi.login;

import java.util.Objects;

/**
 * The target's side of operational negotiation (RFC 7143 §13): its preferences and the limits it
 * grants. A result is computed per key from the initiator's offer and these values (minimum,
 * maximum, AND, OR or list choice). ErrorRecoveryLevel is always 0, MaxConnections 1 and both
 * in-order keys Yes: this target implements exactly that.
 *
 * <p>Immutable and thread-safe.
 *
 * @param headerDigest what the target accepts for HeaderDigest
 * @param dataDigest what the target accepts for DataDigest
 * @param initialR2t the target's InitialR2T (result is the OR: Yes forbids unsolicited Data-Out)
 * @param immediateData the target's ImmediateData (result is the AND)
 * @param maxRecvDataSegmentLength what the target declares it can receive (512..2^24-1)
 * @param maxBurstLength the most the target grants (512..2^24-1; result is the minimum)
 * @param firstBurstLength the most unsolicited data the target accepts (512..2^24-1, at most
 *     {@code maxBurstLength})
 * @param defaultTime2Wait seconds (0..3600; result is the maximum)
 * @param defaultTime2Retain seconds (0..3600; result is the minimum)
 * @param maxOutstandingR2t R2Ts per task in flight (1..65535; result is the minimum)
 */
public record NegotiationPolicy(DigestPolicy headerDigest, DigestPolicy dataDigest, boolean initialR2t,
                                boolean immediateData, int maxRecvDataSegmentLength, int maxBurstLength,
                                int firstBurstLength, int defaultTime2Wait, int defaultTime2Retain,
                                int maxOutstandingR2t) {

    /** Lowest value of the data length keys (RFC 7143 §13.12 - §13.14). */
    public static final int MIN_DATA_LENGTH = 512;
    /** Highest value of the data length keys: 2^24 - 1. */
    public static final int MAX_DATA_LENGTH = 0xFF_FFFF;

    /**
     * Quarry's defaults: digests allowed, unsolicited and immediate data accepted, 256 KiB
     * segments, 1 MiB bursts, 256 KiB first burst, up to 8 R2Ts in flight per task.
     */
    public static final NegotiationPolicy DEFAULT = new NegotiationPolicy(DigestPolicy.ALLOWED, DigestPolicy.ALLOWED,
            false, true, 262144, 1 << 20, 262144, 2, 0, 8);

    public NegotiationPolicy {
        Objects.requireNonNull(headerDigest, "headerDigest");
        Objects.requireNonNull(dataDigest, "dataDigest");
        checkRange("maxRecvDataSegmentLength", maxRecvDataSegmentLength, MIN_DATA_LENGTH, MAX_DATA_LENGTH);
        checkRange("maxBurstLength", maxBurstLength, MIN_DATA_LENGTH, MAX_DATA_LENGTH);
        checkRange("firstBurstLength", firstBurstLength, MIN_DATA_LENGTH, maxBurstLength);
        checkRange("defaultTime2Wait", defaultTime2Wait, 0, 3600);
        checkRange("defaultTime2Retain", defaultTime2Retain, 0, 3600);
        checkRange("maxOutstandingR2t", maxOutstandingR2t, 1, 65535);
    }

    private static void checkRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "]: " + value);
        }
    }
}
