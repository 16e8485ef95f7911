package dev.quarry.appliance.metrics;

import dev.quarry.appliance.target.TargetDefinition;
import dev.quarry.appliance.target.TargetManager;
import dev.quarry.iscsi.server.IscsiServer;
import dev.quarry.iscsi.session.SessionKey;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.Map;

/**
 * Live iSCSI sessions per target (every configured target, with 0 when none is logged in, and
 * {@code discovery} for SendTargets sessions) and, when per-initiator series are on, per
 * initiator; read from the server at each scrape.
 *
 * <p>Thread-safe (called under the scrape's lock).
 */
final class SessionMeters {

    private final IscsiServer iscsi;
    private final TargetManager targets;
    private final InitiatorMeters initiators;

    SessionMeters(IscsiServer iscsi, TargetManager targets, InitiatorMeters initiators) {
        this.iscsi = iscsi;
        this.targets = targets;
        this.initiators = initiators;
    }

    void refresh(RefreshedMeters m) {
        Map<String, Integer> byTarget = new HashMap<>();
        for (TargetDefinition target : targets.targets()) {
            byTarget.put(target.name(), 0);
        }
        byTarget.put("discovery", 0);
        Map<String, Integer> byInitiator = new HashMap<>();
        for (SessionKey key : iscsi.sessionKeys()) {
            byTarget.merge(key.targetName().isEmpty() ? "discovery" : key.targetName(), 1, Integer::sum);
            if (initiators.enabled()) {
                byInitiator.merge(initiators.label(key.initiatorName()), 1, Integer::sum);
            }
        }
        byTarget.forEach((target, count) -> m.gauge("quarry.iscsi.sessions", null,
                "Live iSCSI sessions per target (discovery: SendTargets sessions)", Tags.of("target", target), count));
        byInitiator.forEach((initiator, count) -> m.gauge("quarry.initiator.sessions", null,
                "Live iSCSI sessions per initiator (opt-in)", Tags.of("initiator", initiator), count));
        m.gauge("quarry.iscsi.connections", null, "Open iSCSI TCP connections, logged in or not", Tags.empty(),
                iscsi.connectionCount());
    }
}
