package dev.quarry.appliance.serve;

import java.io.IOException;

/**
 * The configuration file cannot be used: missing, unsafe permissions, malformed, or a setting out
 * of range. {@code quarry} exits with {@link dev.quarry.appliance.ExitCodes#CONFIGURATION}.
 */
public final class ConfigException extends IOException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
