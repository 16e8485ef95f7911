package dev.quarry.iscsi.login;

/**
 * The answer to one Login Request: the reply to send, and what happens next.
 *
 * <p>Immutable and thread-safe.
 *
 * @param result set when {@code outcome} is {@link Outcome#COMPLETE}
 * @param detail why the login failed, for the log; {@code null} otherwise
 * @param <T> the server's target type
 */
public record LoginStep<T extends TargetAccess>(LoginReply reply, Outcome outcome, LoginResult<T> result, String detail) {

    /** What the connection does after sending the reply. */
    public enum Outcome {
        /** Wait for the next Login Request. */
        CONTINUE,
        /** Close the connection: the login failed. */
        FAIL,
        /** Enter full feature phase (the reply is the final one, still lacking its TSIH). */
        COMPLETE
    }
}
