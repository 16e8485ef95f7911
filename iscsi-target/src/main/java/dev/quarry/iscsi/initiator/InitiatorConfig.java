package dev.quarry.iscsi.initiator;

import dev.quarry.iscsi.login.DigestPolicy;
import dev.quarry.iscsi.login.NegotiationPolicy;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything an {@link IscsiInitiator} works with: its iSCSI name, what it offers in operational
 * negotiation, its queue and transfer limits, and the timers of its failure model (see
 * docs/iscsi-initiator.md). Start from {@link #defaults(String)} and change what differs through
 * {@link #toBuilder()}; every value is checked at construction.
 *
 * <p>Immutable and thread-safe.
 *
 * @param initiatorName our iSCSI name (iqn., eui. or naa.)
 * @param headerDigest NEVER offers None, ALLOWED offers None then CRC32C, REQUIRED offers only CRC32C
 * @param dataDigest as {@code headerDigest}, for data segments
 * @param immediateData whether we offer ImmediateData=Yes
 * @param initialR2t whether we offer InitialR2T=Yes (No allows unsolicited Data-Out)
 * @param maxRecvDataSegmentLength what we declare we receive (512..2^24-1)
 * @param maxBurstLength what we offer (512..2^24-1); the result is the minimum of both sides
 * @param firstBurstLength what we offer (512..maxBurstLength)
 * @param maxOutstandingR2t what we offer (1..65535)
 * @param queueDepth commands in flight per session at most, whatever the target's window allows
 * @param maxTransferBytes the largest transfer of one READ or WRITE command (a multiple of 4096);
 *     the remote's MAXIMUM TRANSFER LENGTH may lower it
 * @param loginTimeout from TCP connect to full feature phase
 * @param openTimeout how long {@link IscsiInitiator#open} keeps trying a target that does not answer
 * @param commandTimeout a command without an answer this long means the connection is hung: it is
 *     dropped and recovered
 * @param nopInterval silence after which a NOP-Out ping checks the connection
 * @param nopTimeout how long that ping may stay unanswered
 * @param recoveryTimeout how long a lost session is retried before commands fail with
 *     LOGICAL UNIT COMMUNICATION FAILURE
 * @param reconnectDelayMin first pause between reconnection attempts (doubling from there)
 * @param reconnectDelayMax longest pause between reconnection attempts
 * @param logoutTimeout how long closing waits for the Logout Response
 * @param maxAttempts how often one command is sent at most (first send plus reissues after
 *     connection recovery) before it fails
 * @param ioThreads event loop threads when the initiator owns its group (0: two per core)
 * @param nativeTransport use epoll when available, NIO otherwise
 */
public record InitiatorConfig(String initiatorName, DigestPolicy headerDigest, DigestPolicy dataDigest,
                              boolean immediateData, boolean initialR2t, int maxRecvDataSegmentLength,
                              int maxBurstLength, int firstBurstLength, int maxOutstandingR2t, int queueDepth,
                              int maxTransferBytes, Duration loginTimeout, Duration openTimeout,
                              Duration commandTimeout, Duration nopInterval, Duration nopTimeout,
                              Duration recoveryTimeout, Duration reconnectDelayMin, Duration reconnectDelayMax,
                              Duration logoutTimeout, int maxAttempts, int ioThreads, boolean nativeTransport) {

    public InitiatorConfig {
        Objects.requireNonNull(initiatorName, "initiatorName");
        String lower = initiatorName.toLowerCase(Locale.ROOT);
        if (initiatorName.length() > 223 || !(lower.startsWith("iqn.") || lower.startsWith("eui.") || lower.startsWith("naa."))) {
            throw new IllegalArgumentException("initiatorName must be an iqn., eui. or naa. name of at most 223 bytes");
        }
        Objects.requireNonNull(headerDigest, "headerDigest");
        Objects.requireNonNull(dataDigest, "dataDigest");
        range("maxRecvDataSegmentLength", maxRecvDataSegmentLength, NegotiationPolicy.MIN_DATA_LENGTH,
                NegotiationPolicy.MAX_DATA_LENGTH);
        range("maxBurstLength", maxBurstLength, NegotiationPolicy.MIN_DATA_LENGTH, NegotiationPolicy.MAX_DATA_LENGTH);
        range("firstBurstLength", firstBurstLength, NegotiationPolicy.MIN_DATA_LENGTH, maxBurstLength);
        range("maxOutstandingR2t", maxOutstandingR2t, 1, 65535);
        range("queueDepth", queueDepth, 1, 4096);
        range("maxTransferBytes", maxTransferBytes, 4096, 1 << 30);
        if (maxTransferBytes % 4096 != 0) {
            throw new IllegalArgumentException("maxTransferBytes must be a multiple of 4096: " + maxTransferBytes);
        }
        for (Duration d : new Duration[] {loginTimeout, openTimeout, commandTimeout, nopInterval, nopTimeout,
            recoveryTimeout, reconnectDelayMin, reconnectDelayMax, logoutTimeout}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timers must be positive");
            }
        }
        if (reconnectDelayMax.compareTo(reconnectDelayMin) < 0) {
            throw new IllegalArgumentException("reconnectDelayMax must not be below reconnectDelayMin");
        }
        range("maxAttempts", maxAttempts, 1, 100);
        range("ioThreads", ioThreads, 0, 1024);
    }

    /**
     * The defaults for {@code initiatorName}: digests allowed (None preferred), immediate and
     * unsolicited data offered, 256 KiB segments, 1 MiB bursts, 256 KiB first burst, 4 R2Ts,
     * 64 commands in flight, 4 MiB transfers; login 10 s, open 15 s, command 30 s, NOP ping after
     * 5 s of silence answered within 10 s, recovery 30 s, reconnect pauses 100 ms to 2 s, logout
     * 2 s, 5 attempts per command, one I/O thread, epoll.
     */
    public static InitiatorConfig defaults(String initiatorName) {
        return new InitiatorConfig(initiatorName, DigestPolicy.ALLOWED, DigestPolicy.ALLOWED, true, false, 262144,
                1 << 20, 262144, 4, 64, 4 << 20, Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(30),
                Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMillis(100),
                Duration.ofSeconds(2), Duration.ofSeconds(2), 5, 1, true);
    }

    /** A builder starting from these values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    private static void range(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "]: " + value);
        }
    }

    /**
     * Mutable copy of a configuration; {@link #build()} checks every value.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder {
        private String initiatorName;
        private DigestPolicy headerDigest;
        private DigestPolicy dataDigest;
        private boolean immediateData;
        private boolean initialR2t;
        private int maxRecvDataSegmentLength;
        private int maxBurstLength;
        private int firstBurstLength;
        private int maxOutstandingR2t;
        private int queueDepth;
        private int maxTransferBytes;
        private Duration loginTimeout;
        private Duration openTimeout;
        private Duration commandTimeout;
        private Duration nopInterval;
        private Duration nopTimeout;
        private Duration recoveryTimeout;
        private Duration reconnectDelayMin;
        private Duration reconnectDelayMax;
        private Duration logoutTimeout;
        private int maxAttempts;
        private int ioThreads;
        private boolean nativeTransport;

        private Builder(InitiatorConfig c) {
            initiatorName = c.initiatorName;
            headerDigest = c.headerDigest;
            dataDigest = c.dataDigest;
            immediateData = c.immediateData;
            initialR2t = c.initialR2t;
            maxRecvDataSegmentLength = c.maxRecvDataSegmentLength;
            maxBurstLength = c.maxBurstLength;
            firstBurstLength = c.firstBurstLength;
            maxOutstandingR2t = c.maxOutstandingR2t;
            queueDepth = c.queueDepth;
            maxTransferBytes = c.maxTransferBytes;
            loginTimeout = c.loginTimeout;
            openTimeout = c.openTimeout;
            commandTimeout = c.commandTimeout;
            nopInterval = c.nopInterval;
            nopTimeout = c.nopTimeout;
            recoveryTimeout = c.recoveryTimeout;
            reconnectDelayMin = c.reconnectDelayMin;
            reconnectDelayMax = c.reconnectDelayMax;
            logoutTimeout = c.logoutTimeout;
            maxAttempts = c.maxAttempts;
            ioThreads = c.ioThreads;
            nativeTransport = c.nativeTransport;
        }

        public Builder digests(DigestPolicy header, DigestPolicy data) {
            headerDigest = header;
            dataDigest = data;
            return this;
        }

        /** ImmediateData and InitialR2T as offered. */
        public Builder unsolicitedData(boolean offerImmediateData, boolean offerInitialR2t) {
            immediateData = offerImmediateData;
            initialR2t = offerInitialR2t;
            return this;
        }

        /** MaxRecvDataSegmentLength, MaxBurstLength, FirstBurstLength and MaxOutstandingR2T as offered. */
        public Builder dataLengths(int recvSegment, int burst, int firstBurst, int outstandingR2t) {
            maxRecvDataSegmentLength = recvSegment;
            maxBurstLength = burst;
            firstBurstLength = firstBurst;
            maxOutstandingR2t = outstandingR2t;
            return this;
        }

        public Builder queueDepth(int value) {
            queueDepth = value;
            return this;
        }

        public Builder maxTransferBytes(int value) {
            maxTransferBytes = value;
            return this;
        }

        /** Login, open, command and logout timeouts. */
        public Builder timeouts(Duration login, Duration open, Duration command, Duration logout) {
            loginTimeout = login;
            openTimeout = open;
            commandTimeout = command;
            logoutTimeout = logout;
            return this;
        }

        /** NOP-Out keepalive: ping after {@code interval} of silence, answered within {@code timeout}. */
        public Builder keepalive(Duration interval, Duration timeout) {
            nopInterval = interval;
            nopTimeout = timeout;
            return this;
        }

        /** Session recovery: give up after {@code timeout}, pausing between attempts from {@code min} to {@code max}. */
        public Builder recovery(Duration timeout, Duration min, Duration max) {
            recoveryTimeout = timeout;
            reconnectDelayMin = min;
            reconnectDelayMax = max;
            return this;
        }

        public Builder maxAttempts(int value) {
            maxAttempts = value;
            return this;
        }

        public Builder ioThreads(int threads, boolean preferNative) {
            ioThreads = threads;
            nativeTransport = preferNative;
            return this;
        }

        public InitiatorConfig build() {
            return new InitiatorConfig(initiatorName, headerDigest, dataDigest, immediateData, initialR2t,
                    maxRecvDataSegmentLength, maxBurstLength, firstBurstLength, maxOutstandingR2t, queueDepth,
                    maxTransferBytes, loginTimeout, openTimeout, commandTimeout, nopInterval, nopTimeout, recoveryTimeout,
                    reconnectDelayMin, reconnectDelayMax, logoutTimeout, maxAttempts, ioThreads, nativeTransport);
        }
    }
}
