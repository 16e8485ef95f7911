package dev.quarry.admin.http;

/**
 * What a bearer token may do: {@code READ_ONLY} calls {@link Access#READ} routes, {@code ADMIN}
 * calls every route.
 *
 * <p>Immutable and thread-safe.
 */
public enum Role {
    READ_ONLY, ADMIN;

    /** Whether this role may call a route of {@code access}. */
    public boolean permits(Access access) {
        return switch (access) {
            case OPEN, READ -> true;
            case ADMIN -> this == ADMIN;
        };
    }
}
