package dev.quarry.admin.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem detail, served as {@code application/problem+json}. {@code type} is a
 * stable URI per kind of error that clients may switch on.
 *
 * <p>Immutable and thread-safe.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance) {

    /** The base of every problem type URI. */
    public static final String TYPE_BASE = "https://quarry.dev/problems/";
}
