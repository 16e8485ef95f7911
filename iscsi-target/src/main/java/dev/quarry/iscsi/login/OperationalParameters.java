package dev.quarry.iscsi.login;

/**
 * The operational parameters of a session and its connection after negotiation (RFC 7143 §13).
 * {@link #DEFAULTS} holds the RFC defaults, in force for every key not negotiated.
 *
 * <p>Immutable and thread-safe.
 *
 * @param initiatorMaxRecvDataSegmentLength the initiator's declared MaxRecvDataSegmentLength:
 *     the largest data segment the target may send
 * @param targetMaxRecvDataSegmentLength the target's declared MaxRecvDataSegmentLength: the
 *     largest data segment the initiator may send
 */
public record OperationalParameters(boolean headerDigest, boolean dataDigest, int maxConnections, boolean initialR2t,
                                    boolean immediateData, int initiatorMaxRecvDataSegmentLength,
                                    int targetMaxRecvDataSegmentLength, int maxBurstLength, int firstBurstLength,
                                    int defaultTime2Wait, int defaultTime2Retain, int maxOutstandingR2t,
                                    boolean dataPduInOrder, boolean dataSequenceInOrder, int errorRecoveryLevel) {

    /** The defaults of RFC 7143 §13. */
    public static final OperationalParameters DEFAULTS = new OperationalParameters(false, false, 1, true, true, 8192,
            8192, 262144, 65536, 2, 20, 1, true, true, 0);

    /** A builder starting from these values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The FirstBurstLength in force: never more than MaxBurstLength (RFC 7143 §13.14). */
    public int effectiveFirstBurstLength() {
        return Math.min(firstBurstLength, maxBurstLength);
    }

    /**
     * Mutable copy used while negotiating.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder {
        boolean headerDigest;
        boolean dataDigest;
        int maxConnections;
        boolean initialR2t;
        boolean immediateData;
        int initiatorMaxRecvDataSegmentLength;
        int targetMaxRecvDataSegmentLength;
        int maxBurstLength;
        int firstBurstLength;
        int defaultTime2Wait;
        int defaultTime2Retain;
        int maxOutstandingR2t;
        boolean dataPduInOrder;
        boolean dataSequenceInOrder;
        int errorRecoveryLevel;

        private Builder(OperationalParameters p) {
            headerDigest = p.headerDigest;
            dataDigest = p.dataDigest;
            maxConnections = p.maxConnections;
            initialR2t = p.initialR2t;
            immediateData = p.immediateData;
            initiatorMaxRecvDataSegmentLength = p.initiatorMaxRecvDataSegmentLength;
            targetMaxRecvDataSegmentLength = p.targetMaxRecvDataSegmentLength;
            maxBurstLength = p.maxBurstLength;
            firstBurstLength = p.firstBurstLength;
            defaultTime2Wait = p.defaultTime2Wait;
            defaultTime2Retain = p.defaultTime2Retain;
            maxOutstandingR2t = p.maxOutstandingR2t;
            dataPduInOrder = p.dataPduInOrder;
            dataSequenceInOrder = p.dataSequenceInOrder;
            errorRecoveryLevel = p.errorRecoveryLevel;
        }

        public Builder targetMaxRecvDataSegmentLength(int value) {
            targetMaxRecvDataSegmentLength = value;
            return this;
        }

        public OperationalParameters build() {
            return new OperationalParameters(headerDigest, dataDigest, maxConnections, initialR2t, immediateData,
                    initiatorMaxRecvDataSegmentLength, targetMaxRecvDataSegmentLength, maxBurstLength, firstBurstLength,
                    defaultTime2Wait, defaultTime2Retain, maxOutstandingR2t, dataPduInOrder, dataSequenceInOrder,
                    errorRecoveryLevel);
        }
    }
}
