package dev.quarry.appliance.api;

import dev.quarry.admin.http.ApiException;
import dev.quarry.admin.http.ApiRequest;
import dev.quarry.admin.http.ApiResponse;
import dev.quarry.admin.http.Page;
import dev.quarry.admin.http.Route;
import dev.quarry.appliance.config.ByteSize;
import dev.quarry.appliance.target.TargetManager;
import dev.quarry.volume.disk.TierClass;
import dev.quarry.volume.pool.PoolRecord;
import dev.quarry.volume.pool.PoolService;
import dev.quarry.volume.snapshot.SnapshotService;
import dev.quarry.volume.thin.CloneOrigin;
import dev.quarry.volume.thin.VolumeRecord;
import dev.quarry.volume.thin.VolumeService;
import dev.quarry.volume.thin.VolumeSpec;
import dev.quarry.volume.thin.VolumeState;
import dev.quarry.volume.thin.VolumeStatistics;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code /api/v1/volumes}: thin volumes. Create is idempotent by name (as CSI's CreateVolume
 * expects), PUT sets the size (growing only; the same size again changes nothing), DELETE of a
 * volume that is gone answers 204 and of a mapped one (or one with snapshots) 409. Its snapshots
 * and clones are {@link SnapshotResource}'s.
 *
 * <p>Stateless and thread-safe; handlers block on the volume manager.
 */
final class VolumeResource {

    static final String BASE = "/api/v1/volumes";

    /** A volume to create; {@code size} takes bytes or "100GiB"; {@code tier} null uses the pool's. */
    public record CreateVolume(String name, String pool, ByteCount size, TierClass tier) {
    }

    /** The volume's wanted size (grow only). */
    public record ResizeVolume(ByteCount size) {
    }

    /**
     * A volume with its space figures: {@code origin} is the {@code vol@snap} a clone was copied
     * from (null for others), {@code snapshots} its readable snapshots, {@code snapshotBytes} the
     * bytes kept only for its snapshots.
     */
    public record VolumeView(String name, String pool, UUID uuid, long sizeBytes, long mappedBytes, TierClass tier,
                             VolumeState state, String created, String origin, int snapshots, long snapshotBytes) {
    }

    private final VolumeService volumes;
    private final SnapshotService snapshots;
    private final PoolService pools;
    private final TargetManager targets;

    VolumeResource(VolumeService volumes, SnapshotService snapshots, PoolService pools, TargetManager targets) {
        this.volumes = volumes;
        this.snapshots = snapshots;
        this.pools = pools;
        this.targets = targets;
    }

    List<Route> routes() {
        return List.of(
                new Route(HttpMethod.GET, BASE, "List volumes (pool= filters by pool)", this::list)
                        .withQuery("pool", "Only the volumes of this pool", false).paginated(VolumeView.class),
                new Route(HttpMethod.POST, BASE, "Create a thin volume (idempotent by name)", this::create)
                        .withRequest(CreateVolume.class).withResponse(201, VolumeView.class),
                new Route(HttpMethod.GET, BASE + "/{volume}", "Read a volume", this::get).withResponse(200, VolumeView.class),
                new Route(HttpMethod.PUT, BASE + "/{volume}", "Set a volume's size (grow only; idempotent)", this::resize)
                        .withRequest(ResizeVolume.class).withResponse(200, VolumeView.class),
                new Route(HttpMethod.DELETE, BASE + "/{volume}", "Delete a volume and release its space (idempotent)", this::delete)
                        .withResponse(204, null));
    }

    private ApiResponse list(ApiRequest request) {
        Map<Integer, String> poolNames = pools.listPools().stream().collect(Collectors.toMap(PoolRecord::id, PoolRecord::name));
        String pool = request.queryParam("pool", null);
        List<VolumeView> all = volumes.listVolumes().stream().map(v -> view(v, poolNames::get))
                .filter(v -> pool == null || pool.equals(v.pool())).sorted(java.util.Comparator.comparing(VolumeView::name)).toList();
        return ApiResponse.ok(Page.of(all, VolumeView::name, request));
    }

    private ApiResponse create(ApiRequest request) {
        CreateVolume body = request.bodyAs(CreateVolume.class);
        if (body.name() == null || body.pool() == null || body.size() == null) {
            throw ApiErrors.invalid("name, pool and size are required");
        }
        PoolResource.require(pools, body.pool());
        VolumeSpec spec = new VolumeSpec(body.name(), body.size().bytes(), body.pool(), body.tier());
        boolean existed = volumes.volume(spec.name()).isPresent();
        VolumeView view = view(volumes.createVolume(spec), this::poolName);
        return existed ? ApiResponse.ok(view) : ApiResponse.created(view, BASE + "/" + spec.name());
    }

    private ApiResponse get(ApiRequest request) {
        return ApiResponse.ok(view(require(request.pathParam("volume")), this::poolName));
    }

    private ApiResponse resize(ApiRequest request) {
        VolumeRecord current = require(request.pathParam("volume"));
        ResizeVolume body = request.bodyAs(ResizeVolume.class);
        if (body.size() == null) {
            throw ApiErrors.invalid("size is required");
        }
        long wanted = body.size().bytes();
        if (wanted < current.sizeBytes()) {
            throw new ApiException(409, "shrink-refused", "Volumes never shrink", "volume " + current.name() + " is "
                    + ByteSize.format(current.sizeBytes()) + "; a volume can grow but never shrink");
        }
        VolumeRecord result = wanted == current.sizeBytes() ? current : volumes.grow(current.name(), wanted);
        return ApiResponse.ok(view(result, this::poolName));
    }

    private ApiResponse delete(ApiRequest request) {
        String name = request.pathParam("volume");
        if (volumes.volume(name).isEmpty()) {
            return ApiResponse.noContent();
        }
        Optional<LunUse> use = LunUse.find(targets, name::equals);
        if (use.isPresent()) {
            throw new ApiException(409, "volume-in-use", "The volume is mapped", "volume " + name + " is " + use.get()
                    + "; unmap it first");
        }
        volumes.deleteVolume(name);
        return ApiResponse.noContent();
    }

    private VolumeRecord require(String name) {
        return volumes.volume(name).orElseThrow(() -> ApiErrors.notFound("volume", name));
    }

    private String poolName(int id) {
        return pools.listPools().stream().filter(p -> p.id() == id).map(PoolRecord::name).findFirst().orElse(null);
    }

    private VolumeView view(VolumeRecord volume, Function<Integer, String> poolName) {
        long mapped = 0;
        long kept = 0;
        int readable = 0;
        if (volume.state() == VolumeState.ACTIVE) {
            VolumeStatistics statistics = volumes.statistics(volume.name());
            mapped = statistics.mappedBytes();
            kept = statistics.snapshotBytes();
            readable = snapshots.listSnapshots(volume.name()).size();
        }
        CloneOrigin origin = volume.origin();
        return new VolumeView(volume.name(), poolName.apply(volume.poolId()), volume.uuid(), volume.sizeBytes(), mapped,
                volume.tier(), volume.state(), Instant.ofEpochMilli(volume.createdMillis()).toString(),
                origin == null ? null : origin.label(), readable, kept);
    }
}
