package dev.quarry.iscsi.testing;

import java.util.Map;

/**
 * What a {@link TestInitiator} login ended with: the status of the last Login Response
 * ({@code 0x0000} on success, {@code 0x0201} style otherwise), every key the target answered, and
 * the TSIH it assigned.
 *
 * <p>Immutable.
 */
public record LoginOutcome(int status, Map<String, String> keys, int tsih) {

    public LoginOutcome {
        keys = Map.copyOf(keys);
    }

    public boolean succeeded() {
        return status == 0;
    }
}
