package dev.quarry.admin.http;

/**
 * Who may call a route: anyone ({@code OPEN}: health, the API description), any token
 * ({@code READ}: what only looks), or an admin token ({@code ADMIN}: what changes something).
 *
 * <p>Immutable and thread-safe.
 */
public enum Access {
    OPEN, READ, ADMIN;

    /** The default for a method: reads for GET and HEAD, admin for everything else. */
    static Access defaultFor(io.netty.handler.codec.http.HttpMethod method) {
        return method.equals(io.netty.handler.codec.http.HttpMethod.GET) || method.equals(io.netty.handler.codec.http.HttpMethod.HEAD)
                ? READ : ADMIN;
    }
}
