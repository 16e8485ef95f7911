package dev.quarry.appliance.health;

import dev.quarry.admin.http.Access;
import dev.quarry.admin.http.ApiResponse;
import dev.quarry.admin.http.Route;
import dev.quarry.iscsi.server.IscsiServer;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** {@code GET /api/v1/health}: whether the appliance serves, and how long it has; open to probes without a token. */
public final class HealthRoutes {

    private HealthRoutes() {
    }

    /** The health document. */
    public record Health(String status, String version, long uptimeSeconds, List<String> iscsiPortals,
                         int iscsiSessions) {
    }

    public static Route route(IscsiServer iscsi, Instant started, String version) {
        return new Route(HttpMethod.GET, "/api/v1/health", "Whether the appliance is up, with its iSCSI portals and sessions",
                request -> ApiResponse.ok(new Health("ok", version,
                        Duration.between(started, Instant.now()).toSeconds(),
                        iscsi.boundAddresses().stream().map(a -> a.getHostString() + ":" + a.getPort()).toList(),
                        iscsi.sessionCount()))).withAccess(Access.OPEN).withResponse(200, Health.class);
    }
}
