package dev.quarry.appliance.api;

import dev.quarry.admin.http.Access;
import dev.quarry.admin.http.ApiResponse;
import dev.quarry.admin.http.OpenApiDocument;
import dev.quarry.admin.http.Route;
import dev.quarry.admin.http.Router;
import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Installs the appliance's REST resources on a router, each handler behind the one exception
 * mapping of {@link ApiErrors}, plus {@code GET /openapi.json}: the OpenAPI 3.1 document built
 * from the router's table at request time, so routes added later (metrics) appear too.
 *
 * <p>Stateless and thread-safe.
 */
public final class ApplianceApi {

    /** Where the API description is served. */
    public static final String OPENAPI_PATH = "/openapi.json";

    private ApplianceApi() {
    }

    /** Adds every resource's routes and the OpenAPI document to {@code router}. */
    public static void install(Router router, ApiContext context, String version) {
        for (Route route : routes(context)) {
            router.add(new Route(route.method(), route.template(), route.summary(), ApiErrors.mapped(route.handler()),
                    route.access(), route.requestType(), route.responseType(), route.itemType(), route.status(), route.query()));
        }
        router.add(new Route(HttpMethod.GET, OPENAPI_PATH, "This API's OpenAPI 3.1 description",
                request -> ApiResponse.ok(document(router, version))).withAccess(Access.OPEN));
    }

    /** The OpenAPI document of everything {@code router} serves. */
    public static Map<String, Object> document(Router router, String version) {
        return new OpenApiDocument(Map.of(ByteCount.class, ByteCount.SCHEMA)).build("Quarry admin API", version, router.routes());
    }

    private static List<Route> routes(ApiContext context) {
        List<Route> routes = new ArrayList<>();
        routes.addAll(new PoolResource(context.volumes().pools()).routes());
        routes.addAll(new DiskResource(context.volumes().pools(), context.jobs(), context.remoteDisks()).routes());
        routes.addAll(new VolumeResource(context.volumes().volumes(), context.volumes().snapshots(), context.volumes().pools(),
                context.targets()).routes());
        routes.addAll(new SnapshotResource(context.volumes().snapshots(), context.volumes().volumes(), context.targets(),
                context.jobs()).routes());
        routes.addAll(new TargetResource(context.targets()).routes());
        routes.addAll(new LunResource(context.targets(), context.volumes().volumes(), context.volumes().snapshots()).routes());
        routes.addAll(new PortalResource(context.iscsi(), context.portals()).routes());
        routes.addAll(new SessionResource(context.iscsi()).routes());
        routes.addAll(new JobResource(context.jobs()).routes());
        return routes;
    }
}
