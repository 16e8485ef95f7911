package dev.quarry.iscsi.login;

import dev.quarry.iscsi.pdu.LoginStatus;
import java.util.List;

/**
 * What a Login Response says, before the connection stamps ISID, TSIH, tags and sequence numbers
 * on it.
 *
 * <p>Immutable and thread-safe.
 */
public record LoginReply(boolean transit, int currentStage, int nextStage, LoginStatus status, List<KeyValue> keys) {

    public LoginReply {
        keys = List.copyOf(keys);
    }
}
