package dev.quarry.appliance.cli;

/**
 * A command that cannot go on, with the exit code it ends with and a message for people (printed
 * as {@code quarry: message}, without a stack trace).
 */
public class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
