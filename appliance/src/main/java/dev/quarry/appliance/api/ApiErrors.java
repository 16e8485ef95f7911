package dev.quarry.appliance.api;

import dev.quarry.admin.http.ApiException;
import dev.quarry.admin.http.RouteHandler;
import java.util.NoSuchElementException;

/**
 * The one place where the services' exceptions become problem details, each with a stable
 * {@code type}: an invalid argument is 400 {@code invalid-argument}, a missing thing 404
 * {@code not-found}, a state that forbids the change 409 {@code conflict}.
 *
 * <p>Stateless and thread-safe.
 */
final class ApiErrors {

    private ApiErrors() {
    }

    /** {@code handler} with the services' exceptions mapped. */
    static RouteHandler mapped(RouteHandler handler) {
        return request -> {
            try {
                return handler.handle(request);
            } catch (IllegalArgumentException e) {
                throw invalid(e.getMessage());
            } catch (NoSuchElementException e) {
                throw ApiException.notFound(e.getMessage());
            } catch (IllegalStateException e) {
                throw ApiException.conflict(e.getMessage());
            }
        };
    }

    static ApiException invalid(String detail) {
        return new ApiException(400, "invalid-argument", "Invalid argument", detail);
    }

    static ApiException unavailableDevice(String detail) {
        return new ApiException(422, "device-unavailable", "The backend device cannot be used", detail);
    }

    static ApiException notFound(String kind, String name) {
        return ApiException.notFound("no " + kind + " named " + name);
    }
}
