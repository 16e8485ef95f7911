package dev.quarry.iscsi.session;

import dev.quarry.iscsi.login.OperationalParameters;
import dev.quarry.iscsi.login.SessionType;
import dev.quarry.iscsi.pdu.Bhs;
import dev.quarry.iscsi.scsi.NexusPort;

/**
 * What the full feature handlers of one session share: the outbound side, sequence numbers,
 * tasks, negotiated parameters, settings, and the SCSI nexus.
 *
 * <p>Not thread-safe; confined to the channel event loop.
 */
final class SessionContext {

    private final Outbound out;
    private final TaskTable tasks;
    private final SessionSettings settings;
    private final SessionType type;
    private final NexusPort port;
    private final String initiatorName;
    private OperationalParameters parameters;
    private int nextTargetTransferTag;

    SessionContext(Outbound out, SessionSettings settings, SessionType type, NexusPort port, String initiatorName,
                   OperationalParameters parameters) {
        this.out = out;
        this.settings = settings;
        this.type = type;
        this.port = port;
        this.initiatorName = initiatorName;
        this.parameters = parameters;
        this.tasks = new TaskTable(settings.queueDepth() * 2);
    }

    Outbound out() {
        return out;
    }

    SequenceNumbers numbers() {
        return out.numbers();
    }

    CommandWindow window() {
        return out.numbers().window();
    }

    TaskTable tasks() {
        return tasks;
    }

    SessionSettings settings() {
        return settings;
    }

    SessionType type() {
        return type;
    }

    /** The SCSI nexus; {@code null} in a Discovery session. */
    NexusPort port() {
        return port;
    }

    String initiatorName() {
        return initiatorName;
    }

    OperationalParameters parameters() {
        return parameters;
    }

    void parameters(OperationalParameters parameters) {
        this.parameters = parameters;
    }

    /** A Target Transfer Tag unique on this connection, never the reserved value. */
    int nextTargetTransferTag() {
        int tag = nextTargetTransferTag++;
        return tag == Bhs.RESERVED_TAG ? nextTargetTransferTag++ : tag;
    }
}
