package dev.quarry.iscsi.server;

import dev.quarry.iscsi.login.NegotiationPolicy;
import dev.quarry.iscsi.session.SessionSettings;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything an {@link IscsiServer} is started with. Start from {@link #defaults()} and change
 * what differs with the {@code with...} methods; every value is checked at construction.
 *
 * <p>Immutable and thread-safe.
 *
 * @param portals the addresses to listen on; port 0 binds an ephemeral port (tests)
 * @param portalGroupTag the TargetPortalGroupTag of every portal (1..65535)
 * @param negotiation the target's side of operational negotiation
 * @param queueDepth SCSI tasks per session at once (MaxCmdSN window)
 * @param maxImmediateCommands immediate SCSI commands per session at once
 * @param maxWriteTransferLength the largest Data-Out one command may carry
 * @param maxTextLength bound of a login or text request continued over several PDUs
 * @param loginTimeout from accept to full feature phase
 * @param nopInterval initiator silence after which the target sends a NOP-In ping
 * @param nopTimeout how long a ping may stay unanswered before the connection drops
 * @param dataOutGrace how long a task failed by a Data-Out error waits for the rest of its data
 * @param logoutGrace how long a graceful shutdown waits for initiators to log out
 * @param maxConnectionsPerSource connections one source address may hold (login or not)
 * @param maxConnections connections the server holds in total
 * @param maxSessions live sessions (TSIH space is 65535)
 * @param ioThreads event loop threads for connections (0: two per core)
 * @param nativeTransport use epoll when available, NIO otherwise
 * @param metrics where connection and login events are counted
 */
public record IscsiServerConfig(List<InetSocketAddress> portals, int portalGroupTag, NegotiationPolicy negotiation,
                                int queueDepth, int maxImmediateCommands, int maxWriteTransferLength, int maxTextLength,
                                Duration loginTimeout, Duration nopInterval, Duration nopTimeout, Duration dataOutGrace,
                                Duration logoutGrace, int maxConnectionsPerSource, int maxConnections, int maxSessions,
                                int ioThreads, boolean nativeTransport, TransportMetrics metrics) {

    /** The IANA iSCSI port. */
    public static final int DEFAULT_PORT = 3260;

    public IscsiServerConfig {
        portals = List.copyOf(portals);
        if (portals.isEmpty()) {
            throw new IllegalArgumentException("at least one portal");
        }
        requireRange("portalGroupTag", portalGroupTag, 1, 0xFFFF);
        Objects.requireNonNull(negotiation, "negotiation");
        requireRange("queueDepth", queueDepth, 1, 65536);
        requireRange("maxImmediateCommands", maxImmediateCommands, 1, 1024);
        requireRange("maxWriteTransferLength", maxWriteTransferLength, 512, Integer.MAX_VALUE);
        requireRange("maxTextLength", maxTextLength, 8192, 16 << 20);
        requirePositive("loginTimeout", loginTimeout);
        requirePositive("nopInterval", nopInterval);
        requirePositive("nopTimeout", nopTimeout);
        requirePositive("dataOutGrace", dataOutGrace);
        requirePositive("logoutGrace", logoutGrace);
        requireRange("maxConnectionsPerSource", maxConnectionsPerSource, 1, Integer.MAX_VALUE);
        requireRange("maxConnections", maxConnections, 1, Integer.MAX_VALUE);
        requireRange("maxSessions", maxSessions, 1, 0xFFFF);
        requireRange("ioThreads", ioThreads, 0, 1024);
        Objects.requireNonNull(metrics, "metrics");
    }

    /**
     * All interfaces on port 3260, portal group 1, {@link NegotiationPolicy#DEFAULT}, 64 tasks per
     * session, 32 MiB writes (the MAXIMUM TRANSFER LENGTH the SCSI layer advertises), 15 s login
     * timeout, NOP ping after 30 s of silence answered within 60 s, 64 connections per source
     * address, 1024 in total, 1024 sessions. The ping may wait that long because an initiator
     * driven synchronously (libiscsi's synchronous API) answers only when its application next
     * issues a command; libiscsi's conformance suite sleeps 60 s between TEST UNIT READY polls
     * while a sanitize runs, and a reconnect after a drop meets a new unit attention, so a
     * shorter limit kept it polling forever.
     */
    public static IscsiServerConfig defaults() {
        return new IscsiServerConfig(List.of(new InetSocketAddress(DEFAULT_PORT)), 1, NegotiationPolicy.DEFAULT, 64, 8,
                32 << 20, 64 << 10, Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofSeconds(60),
                Duration.ofSeconds(5), Duration.ofSeconds(10), 64, 1024, 1024, 0, true, TransportMetrics.NONE);
    }

    /** A builder starting from these values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public IscsiServerConfig withPortals(List<InetSocketAddress> newPortals) {
        return toBuilder().portals(newPortals).build();
    }

    public IscsiServerConfig withNegotiation(NegotiationPolicy newNegotiation) {
        return toBuilder().negotiation(newNegotiation).build();
    }

    public IscsiServerConfig withQueueDepth(int newQueueDepth) {
        return toBuilder().queueDepth(newQueueDepth).build();
    }

    /** Login timeout, NOP interval and timeout, data-out grace, logout grace. */
    public IscsiServerConfig withTimeouts(Duration newLoginTimeout, Duration newNopInterval, Duration newNopTimeout,
                                          Duration newDataOutGrace, Duration newLogoutGrace) {
        Builder b = toBuilder();
        b.loginTimeout = newLoginTimeout;
        b.nopInterval = newNopInterval;
        b.nopTimeout = newNopTimeout;
        b.dataOutGrace = newDataOutGrace;
        b.logoutGrace = newLogoutGrace;
        return b.build();
    }

    public IscsiServerConfig withConnectionLimits(int newPerSource, int newTotal) {
        Builder b = toBuilder();
        b.maxConnectionsPerSource = newPerSource;
        b.maxConnections = newTotal;
        return b.build();
    }

    public IscsiServerConfig withIoThreads(int newIoThreads, boolean newNativeTransport) {
        Builder b = toBuilder();
        b.ioThreads = newIoThreads;
        b.nativeTransport = newNativeTransport;
        return b.build();
    }

    public IscsiServerConfig withMetrics(TransportMetrics newMetrics) {
        Builder b = toBuilder();
        b.metrics = newMetrics;
        return b.build();
    }

    /**
     * Mutable copy of a configuration; {@link #build()} checks every value.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder {
        private List<InetSocketAddress> portals;
        private int portalGroupTag;
        private NegotiationPolicy negotiation;
        private int queueDepth;
        private int maxImmediateCommands;
        private int maxWriteTransferLength;
        private int maxTextLength;
        private Duration loginTimeout;
        private Duration nopInterval;
        private Duration nopTimeout;
        private Duration dataOutGrace;
        private Duration logoutGrace;
        private int maxConnectionsPerSource;
        private int maxConnections;
        private int maxSessions;
        private int ioThreads;
        private boolean nativeTransport;
        private TransportMetrics metrics;

        private Builder(IscsiServerConfig c) {
            portals = c.portals;
            portalGroupTag = c.portalGroupTag;
            negotiation = c.negotiation;
            queueDepth = c.queueDepth;
            maxImmediateCommands = c.maxImmediateCommands;
            maxWriteTransferLength = c.maxWriteTransferLength;
            maxTextLength = c.maxTextLength;
            loginTimeout = c.loginTimeout;
            nopInterval = c.nopInterval;
            nopTimeout = c.nopTimeout;
            dataOutGrace = c.dataOutGrace;
            logoutGrace = c.logoutGrace;
            maxConnectionsPerSource = c.maxConnectionsPerSource;
            maxConnections = c.maxConnections;
            maxSessions = c.maxSessions;
            ioThreads = c.ioThreads;
            nativeTransport = c.nativeTransport;
            metrics = c.metrics;
        }

        public Builder portals(List<InetSocketAddress> value) {
            portals = value;
            return this;
        }

        public Builder portalGroupTag(int value) {
            portalGroupTag = value;
            return this;
        }

        public Builder negotiation(NegotiationPolicy value) {
            negotiation = value;
            return this;
        }

        public Builder queueDepth(int value) {
            queueDepth = value;
            return this;
        }

        public Builder maxImmediateCommands(int value) {
            maxImmediateCommands = value;
            return this;
        }

        public Builder maxWriteTransferLength(int value) {
            maxWriteTransferLength = value;
            return this;
        }

        public Builder maxTextLength(int value) {
            maxTextLength = value;
            return this;
        }

        public Builder maxSessions(int value) {
            maxSessions = value;
            return this;
        }

        public IscsiServerConfig build() {
            return new IscsiServerConfig(portals, portalGroupTag, negotiation, queueDepth, maxImmediateCommands,
                    maxWriteTransferLength, maxTextLength, loginTimeout, nopInterval, nopTimeout, dataOutGrace, logoutGrace,
                    maxConnectionsPerSource, maxConnections, maxSessions, ioThreads, nativeTransport, metrics);
        }
    }

    /** The full feature settings of each session. */
    public SessionSettings sessionSettings() {
        return new SessionSettings(queueDepth, maxImmediateCommands, maxWriteTransferLength, maxTextLength, nopTimeout,
                dataOutGrace);
    }

    private static void requireRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "]: " + value);
        }
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
