package dev.quarry.admin.http;

import java.util.Map;

/**
 * What a handler answers: a status and a body that the server writes as JSON ({@code null} for
 * none, a {@link Raw} for another media type), plus extra headers such as {@code Location}.
 *
 * <p>Immutable.
 */
public record ApiResponse(int status, Object body, Map<String, String> headers) {

    /** A body written as given, for routes that answer another media type (text, metrics). */
    public record Raw(String contentType, byte[] bytes) {
    }

    public static ApiResponse ok(Object body) {
        return new ApiResponse(200, body, Map.of());
    }

    public static ApiResponse created(Object body, String location) {
        return new ApiResponse(201, body, Map.of("Location", location));
    }

    public static ApiResponse accepted(Object body, String location) {
        return new ApiResponse(202, body, Map.of("Location", location));
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, null, Map.of());
    }
}
