package dev.quarry.admin.http;

/** Serves one route. Runs on an admin worker thread and may block on services. */
@FunctionalInterface
public interface RouteHandler {

    ApiResponse handle(ApiRequest request) throws Exception;
}
