package dev.quarry.appliance.metrics;

import dev.quarry.iscsi.login.SessionType;
import dev.quarry.iscsi.pdu.LoginStatus;
import dev.quarry.iscsi.server.TransportMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The iSCSI transport's events as counters: connections accepted, refused and closed, logins by
 * session type and failed logins by status ({@code timeout} when the initiator never finished).
 * Every counter is registered up front, so recording allocates nothing.
 *
 * <p>Thread-safe; called on event loops and never blocks.
 */
final class TransportMeters implements TransportMetrics {

    private final Counter opened;
    private final Counter refused;
    private final Counter closed;
    private final Map<SessionType, Counter> logins = new EnumMap<>(SessionType.class);
    private final Map<LoginStatus, Counter> failures = new EnumMap<>(LoginStatus.class);
    private final Counter timedOut;

    TransportMeters(MeterRegistry registry) {
        opened = connections(registry, "accepted");
        refused = connections(registry, "refused");
        closed = connections(registry, "closed");
        for (SessionType type : SessionType.values()) {
            logins.put(type, login(registry, "success", type.name().toLowerCase(Locale.ROOT), "none"));
        }
        for (LoginStatus status : LoginStatus.values()) {
            if (status != LoginStatus.SUCCESS) {
                failures.put(status, login(registry, "failure", "unknown", status.name().toLowerCase(Locale.ROOT)));
            }
        }
        timedOut = login(registry, "failure", "unknown", "timeout");
    }

    private static Counter connections(MeterRegistry registry, String event) {
        return Counter.builder("quarry.iscsi.connection.events")
                .description("iSCSI TCP connections accepted, refused by a connection limit, and closed")
                .tag("event", event).register(registry);
    }

    private static Counter login(MeterRegistry registry, String result, String type, String status) {
        return Counter.builder("quarry.iscsi.logins")
                .description("iSCSI logins: successes by session type, failures by login status")
                .tags("result", result, "type", type, "status", status).register(registry);
    }

    @Override
    public void connectionOpened() {
        opened.increment();
    }

    @Override
    public void connectionRefused() {
        refused.increment();
    }

    @Override
    public void connectionClosed() {
        closed.increment();
    }

    @Override
    public void loginSucceeded(SessionType type) {
        logins.get(type).increment();
    }

    @Override
    public void loginFailed(LoginStatus status) {
        Counter counter = status == null ? null : failures.get(status);
        (counter == null ? timedOut : counter).increment();
    }
}
