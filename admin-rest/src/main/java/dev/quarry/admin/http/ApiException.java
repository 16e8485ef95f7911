package dev.quarry.admin.http;

/**
 * A request that ends in an HTTP error, carrying the problem detail the client receives.
 * Handlers throw it; the server turns it into {@code application/problem+json}.
 */
public class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String problemType;
    private final String title;

    /**
     * @param status the HTTP status
     * @param problemType the stable short name of the error, appended to {@link Problem#TYPE_BASE}
     * @param title a short human summary of that kind of error
     * @param detail what went wrong this time
     */
    public ApiException(int status, String problemType, String title, String detail) {
        super(detail);
        this.status = status;
        this.problemType = problemType;
        this.title = title;
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, "not-found", "Resource not found", detail);
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, "bad-request", "Malformed request", detail);
    }

    public static ApiException conflict(String detail) {
        return new ApiException(409, "conflict", "Conflicts with the current state", detail);
    }

    public int status() {
        return status;
    }

    /** The problem detail for a request to {@code instance}. */
    public Problem toProblem(String instance) {
        return new Problem(Problem.TYPE_BASE + problemType, title, status, getMessage(), instance);
    }
}
