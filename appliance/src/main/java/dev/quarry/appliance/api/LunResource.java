package dev.quarry.appliance.api;

import dev.quarry.admin.http.ApiException;
import dev.quarry.admin.http.ApiRequest;
import dev.quarry.admin.http.ApiResponse;
import dev.quarry.admin.http.Page;
import dev.quarry.admin.http.Route;
import dev.quarry.appliance.target.ExportName;
import dev.quarry.appliance.target.LunMapping;
import dev.quarry.appliance.target.TargetDefinition;
import dev.quarry.appliance.target.TargetManager;
import dev.quarry.volume.snapshot.SnapshotService;
import dev.quarry.volume.thin.VolumeService;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;

/**
 * {@code /api/v1/targets/{target}/luns}: the LUN map of a target. PUT maps (or remaps) a LUN
 * number to a volume, or to a snapshot named {@code volume@snapshot} (always read-only), and
 * DELETE unmaps it; both are idempotent.
 *
 * <p>Stateless and thread-safe; handlers block on the target manager.
 */
final class LunResource {

    private static final String BASE = TargetResource.BASE + "/{target}/luns";

    /**
     * What a LUN number maps: a volume, exported read-write unless {@code readOnly}, or a snapshot
     * ({@code volume@snapshot}), read-only whatever {@code readOnly} says but false.
     */
    public record MapLun(String volume, Boolean readOnly) {
    }

    private final TargetManager targets;
    private final VolumeService volumes;
    private final SnapshotService snapshots;

    LunResource(TargetManager targets, VolumeService volumes, SnapshotService snapshots) {
        this.targets = targets;
        this.volumes = volumes;
        this.snapshots = snapshots;
    }

    List<Route> routes() {
        return List.of(
                new Route(HttpMethod.GET, BASE, "List a target's LUN map", this::list).paginated(LunMapping.class),
                new Route(HttpMethod.GET, BASE + "/{lun}", "Read one LUN of a target", this::get).withResponse(200, LunMapping.class),
                new Route(HttpMethod.PUT, BASE + "/{lun}", "Map a LUN number to a volume or volume@snapshot (idempotent)", this::map)
                        .withRequest(MapLun.class).withResponse(200, LunMapping.class),
                new Route(HttpMethod.DELETE, BASE + "/{lun}", "Unmap a LUN (idempotent)", this::unmap).withResponse(204, null));
    }

    private ApiResponse list(ApiRequest request) {
        return ApiResponse.ok(Page.of(target(request).luns(), m -> String.format("%05d", m.lun()), request));
    }

    private ApiResponse get(ApiRequest request) {
        int lun = lun(request);
        return ApiResponse.ok(target(request).luns().stream().filter(m -> m.lun() == lun).findFirst()
                .orElseThrow(() -> ApiException.notFound("target " + request.pathParam("target") + " has no LUN " + lun)));
    }

    private ApiResponse map(ApiRequest request) {
        TargetDefinition target = target(request);
        MapLun body = request.bodyAs(MapLun.class);
        if (body.volume() == null) {
            throw ApiErrors.invalid("volume is required");
        }
        ExportName exported = ExportName.parse(body.volume());
        if (volumes.volume(exported.volume()).isEmpty()) {
            throw ApiErrors.notFound("volume", exported.volume());
        }
        if (exported.isSnapshot()) {
            if (Boolean.FALSE.equals(body.readOnly())) {
                throw ApiErrors.invalid("a snapshot is exported read-only: " + exported);
            }
            if (snapshots.snapshot(exported.volume(), exported.snapshot()).isEmpty()) {
                throw ApiErrors.notFound("snapshot", exported.toString());
            }
        }
        LunMapping mapping = new LunMapping(lun(request), body.volume(), Boolean.TRUE.equals(body.readOnly()));
        if (!target.luns().contains(mapping)) {
            targets.update(target.name(), t -> t.withLun(mapping));
        }
        return ApiResponse.ok(mapping);
    }

    private ApiResponse unmap(ApiRequest request) {
        TargetDefinition target = target(request);
        int lun = lun(request);
        if (target.luns().stream().anyMatch(m -> m.lun() == lun)) {
            targets.update(target.name(), t -> t.withoutLun(lun));
        }
        return ApiResponse.noContent();
    }

    private TargetDefinition target(ApiRequest request) {
        String name = request.pathParam("target");
        return targets.target(name).orElseThrow(() -> ApiErrors.notFound("target", name));
    }

    private static int lun(ApiRequest request) {
        String text = request.pathParam("lun");
        try {
            int lun = Integer.parseInt(text);
            if (lun >= 0 && lun <= LunMapping.MAX_LUN) {
                return lun;
            }
        } catch (NumberFormatException e) {
            throw ApiErrors.invalid("a LUN is a number from 0 to " + LunMapping.MAX_LUN + ": " + text);
        }
        throw ApiErrors.invalid("a LUN is a number from 0 to " + LunMapping.MAX_LUN + ": " + text);
    }
}
