package dev.quarry.appliance.cli;

import dev.quarry.appliance.ExitCodes;

/**
 * The API answered a problem detail: its status, stable type and detail, mapped to the exit code
 * scripts see (401/403 {@link ExitCodes#AUTH}, 404 {@link ExitCodes#NOT_FOUND}, 409/422
 * {@link ExitCodes#CONFLICT}, 400 {@link ExitCodes#USAGE}, else {@link ExitCodes#FAILED}).
 */
public final class ApiCallException extends CliException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;

    public ApiCallException(int status, String type, String detail) {
        super(exitCodeOf(status), detail);
        this.status = status;
        this.type = type;
    }

    public int status() {
        return status;
    }

    /** The problem's stable type, e.g. {@code https://quarry.dev/problems/not-found}. */
    public String type() {
        return type;
    }

    private static int exitCodeOf(int status) {
        return switch (status) {
            case 400 -> ExitCodes.USAGE;
            case 401, 403 -> ExitCodes.AUTH;
            case 404 -> ExitCodes.NOT_FOUND;
            case 409, 422 -> ExitCodes.CONFLICT;
            default -> ExitCodes.FAILED;
        };
    }
}
