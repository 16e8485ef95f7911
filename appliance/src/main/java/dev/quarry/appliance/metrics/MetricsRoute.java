package dev.quarry.appliance.metrics;

import dev.quarry.admin.http.ApiResponse;
import dev.quarry.admin.http.Route;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code GET /metrics}: every meter of the appliance in the Prometheus text format (0.0.4), for
 * any token (read-only is enough; see docs/metrics.md for the scrape configuration). Stateless
 * and thread-safe.
 */
public final class MetricsRoute {

    /** The Prometheus text format, version 0.0.4. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private MetricsRoute() {
    }

    public static Route route(ApplianceMetrics metrics) {
        return new Route(HttpMethod.GET, "/metrics", "Prometheus metrics of the appliance (text format 0.0.4)",
                request -> new ApiResponse(200, new ApiResponse.Raw(CONTENT_TYPE,
                        metrics.scrape().getBytes(StandardCharsets.UTF_8)), Map.of()));
    }
}
