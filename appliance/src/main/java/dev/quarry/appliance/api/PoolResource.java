package dev.quarry.appliance.api;

import dev.quarry.admin.http.ApiRequest;
import dev.quarry.admin.http.ApiResponse;
import dev.quarry.admin.http.Page;
import dev.quarry.admin.http.Route;
import dev.quarry.volume.disk.TierClass;
import dev.quarry.volume.pool.PoolRecord;
import dev.quarry.volume.pool.PoolService;
import dev.quarry.volume.pool.PoolSpec;
import dev.quarry.volume.pool.PoolStatistics;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@code /api/v1/pools}: list, create (idempotent by name), read storage pools with their space
 * figures, and delete an empty one (idempotent: a pool that is gone answers 204; one with
 * volumes, or still reclaiming deleted volumes' space, answers 409).
 *
 * <p>Stateless and thread-safe; handlers block on the volume manager.
 */
final class PoolResource {

    static final String BASE = "/api/v1/pools";

    /** A pool to create; absent settings take their defaults (32 MiB segments, 80 % / 95 %, SAS). */
    public record CreatePool(String name, ByteCount segmentSize, Integer softThresholdPercent, Integer hardLimitPercent,
                             TierClass defaultTier) {
    }

    /** A pool with its space figures. */
    public record PoolView(String name, UUID uuid, long segmentSize, int softThresholdPercent, int hardLimitPercent,
                           TierClass defaultTier, String created, long capacityBytes, long usedBytes, long physicalUsedBytes,
                           int freeSegments, int disks) {
    }

    private final PoolService pools;

    PoolResource(PoolService pools) {
        this.pools = pools;
    }

    List<Route> routes() {
        return List.of(
                new Route(HttpMethod.GET, BASE, "List pools", this::list).paginated(PoolView.class),
                new Route(HttpMethod.POST, BASE, "Create a pool (idempotent by name: 200 when it exists as asked)", this::create)
                        .withRequest(CreatePool.class).withResponse(201, PoolView.class),
                new Route(HttpMethod.GET, BASE + "/{pool}", "Read a pool and its space", this::get)
                        .withResponse(200, PoolView.class),
                new Route(HttpMethod.DELETE, BASE + "/{pool}", "Delete an empty pool and release its disks (idempotent)", this::delete)
                        .withResponse(204, null));
    }

    private ApiResponse delete(ApiRequest request) {
        String name = request.pathParam("pool");
        if (pools.pool(name).isPresent()) {
            pools.deletePool(name);
        }
        return ApiResponse.noContent();
    }

    private ApiResponse list(ApiRequest request) {
        List<PoolView> all = pools.listPools().stream().map(this::view).toList();
        return ApiResponse.ok(Page.of(all, PoolView::name, request));
    }

    private ApiResponse create(ApiRequest request) {
        CreatePool body = request.bodyAs(CreatePool.class);
        if (body.name() == null) {
            throw ApiErrors.invalid("name is required");
        }
        PoolSpec defaults = PoolSpec.of(body.name());
        PoolSpec spec = new PoolSpec(body.name(),
                body.segmentSize() == null ? defaults.segmentSize() : Math.toIntExact(Math.min(body.segmentSize().bytes(), 1L << 31)),
                body.softThresholdPercent() == null ? defaults.softThresholdPercent() : body.softThresholdPercent(),
                body.hardLimitPercent() == null ? defaults.hardLimitPercent() : body.hardLimitPercent(),
                body.defaultTier() == null ? defaults.defaultTier() : body.defaultTier());
        boolean existed = pools.pool(spec.name()).isPresent();
        PoolView view = view(pools.createPool(spec));
        return existed ? ApiResponse.ok(view) : ApiResponse.created(view, BASE + "/" + spec.name());
    }

    private ApiResponse get(ApiRequest request) {
        return ApiResponse.ok(view(require(pools, request.pathParam("pool"))));
    }

    static PoolRecord require(PoolService pools, String name) {
        return pools.pool(name).orElseThrow(() -> ApiErrors.notFound("pool", name));
    }

    private PoolView view(PoolRecord pool) {
        PoolStatistics stats = pools.statistics(pool.name());
        return new PoolView(pool.name(), pool.uuid(), pool.segmentSize(), pool.softThresholdPercent(), pool.hardLimitPercent(),
                pool.defaultTier(), Instant.ofEpochMilli(pool.createdMillis()).toString(), stats.capacityBytes(), stats.usedBytes(),
                stats.physicalUsedBytes(), stats.freeSegments(), stats.disks().size());
    }
}
