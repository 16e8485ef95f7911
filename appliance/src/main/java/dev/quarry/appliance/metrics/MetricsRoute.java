package dev.quarry.appliance.metrics;

import dev.quarry.admin.http.ApiResponse;
import dev.quarry.admin.http.Route;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Map;

/** {@code GET /metrics}: every meter of the appliance in the Prometheus text format (0.0.4). Stateless and thread-safe. */
public final class MetricsRoute {

    private MetricsRoute() {
    }

    public static Route route(ApplianceMetrics metrics) {
        return new Route(HttpMethod.GET, "/metrics", "Prometheus metrics of the appliance (text format 0.0.4)",
                request -> new ApiResponse(200, new PrometheusText(metrics.scrape()),
                        Map.of("Content-Type", PrometheusText.CONTENT_TYPE)));
    }
}
