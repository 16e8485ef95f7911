package dev.quarry.appliance.api;

import dev.quarry.admin.http.ApiException;
import dev.quarry.admin.http.ApiRequest;
import dev.quarry.admin.http.ApiResponse;
import dev.quarry.admin.http.Page;
import dev.quarry.admin.http.Route;
import dev.quarry.appliance.target.ExportName;
import dev.quarry.appliance.target.TargetManager;
import dev.quarry.volume.pool.Job;
import dev.quarry.volume.snapshot.SnapshotRecord;
import dev.quarry.volume.snapshot.SnapshotService;
import dev.quarry.volume.snapshot.SnapshotState;
import dev.quarry.volume.thin.VolumeRecord;
import dev.quarry.volume.thin.VolumeService;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code /api/v1/volumes/{volume}/snapshots}: snapshots of a volume, rollback and clones. Create
 * is idempotent by name (201 new, 200 the same); DELETE answers 202 with the job that reclaims
 * the space (204 when the snapshot is gone, 409 while a LUN maps it); rollback and clone answer
 * 202 with their job. A rollback of a volume that a LUN maps is refused (409): hosts cache what
 * they read and would not see the volume change under them.
 *
 * <p>Stateless apart from the shared {@link JobRegistry}; thread-safe; handlers block on the volume manager.
 */
final class SnapshotResource {

    static final String BASE = VolumeResource.BASE + "/{volume}/snapshots";

    /** A snapshot to take. */
    public record CreateSnapshot(String name) {
    }

    /** A clone to create from the snapshot: the new volume's name. */
    public record CreateClone(String name) {
    }

    /** A snapshot as clients see it; {@code fullName} is {@code volume@snapshot}, what a LUN map names. */
    public record SnapshotView(String name, String volume, String fullName, long sizeBytes, String created, SnapshotState state) {

        static SnapshotView of(String volume, SnapshotRecord snapshot) {
            return new SnapshotView(snapshot.name(), volume, new ExportName(volume, snapshot.name()).toString(), snapshot.sizeBytes(),
                    Instant.ofEpochMilli(snapshot.createdMillis()).toString(), snapshot.state());
        }
    }

    private final SnapshotService snapshots;
    private final VolumeService volumes;
    private final TargetManager targets;
    private final JobRegistry jobs;

    SnapshotResource(SnapshotService snapshots, VolumeService volumes, TargetManager targets, JobRegistry jobs) {
        this.snapshots = snapshots;
        this.volumes = volumes;
        this.targets = targets;
        this.jobs = jobs;
    }

    List<Route> routes() {
        String one = BASE + "/{snapshot}";
        return List.of(
                new Route(HttpMethod.GET, BASE, "List a volume's snapshots, oldest first", this::list).paginated(SnapshotView.class),
                new Route(HttpMethod.POST, BASE, "Take a crash-consistent snapshot (idempotent by name)", this::create)
                        .withRequest(CreateSnapshot.class).withResponse(201, SnapshotView.class),
                new Route(HttpMethod.GET, one, "Read a snapshot", this::get).withResponse(200, SnapshotView.class),
                new Route(HttpMethod.DELETE, one, "Delete a snapshot and reclaim its space (202 and a job; 204 when gone)",
                        this::delete).withResponse(202, JobResource.JobView.class),
                new Route(HttpMethod.POST, one + "/rollback", "Roll the volume back to the snapshot (202 and a job; "
                        + "refused while the volume is mapped)", this::rollback).withResponse(202, JobResource.JobView.class),
                new Route(HttpMethod.POST, one + "/clones", "Clone the snapshot as a new volume (202 and a job; idempotent by name)",
                        this::clone).withRequest(CreateClone.class).withResponse(202, JobResource.JobView.class));
    }

    private ApiResponse list(ApiRequest request) {
        String volume = requireVolume(request);
        Page<SnapshotRecord> page = Page.of(snapshots.listSnapshots(volume), SnapshotResource::cursor, request);
        return ApiResponse.ok(new Page<>(page.items().stream().map(s -> SnapshotView.of(volume, s)).toList(), page.next()));
    }

    private ApiResponse create(ApiRequest request) {
        String volume = requireVolume(request);
        CreateSnapshot body = request.bodyAs(CreateSnapshot.class);
        if (body.name() == null) {
            throw ApiErrors.invalid("name is required");
        }
        boolean existed = snapshots.snapshot(volume, body.name()).isPresent();
        SnapshotView view = SnapshotView.of(volume, snapshots.createSnapshot(volume, body.name()));
        return existed ? ApiResponse.ok(view) : ApiResponse.created(view, location(volume, body.name()));
    }

    private ApiResponse get(ApiRequest request) {
        String volume = requireVolume(request);
        return ApiResponse.ok(SnapshotView.of(volume, requireSnapshot(volume, request.pathParam("snapshot"))));
    }

    private ApiResponse delete(ApiRequest request) {
        String volume = requireVolume(request);
        String name = request.pathParam("snapshot");
        String operation = "delete snapshot " + new ExportName(volume, name);
        Optional<Job> running = jobs.running(operation);
        if (running.isPresent()) {
            return accepted(running.get());
        }
        if (snapshots.snapshot(volume, name).isEmpty()) {
            return ApiResponse.noContent();
        }
        String exported = new ExportName(volume, name).toString();
        Optional<LunUse> use = LunUse.find(targets, exported::equals);
        if (use.isPresent()) {
            throw new ApiException(409, "snapshot-in-use", "The snapshot is mapped", "snapshot " + exported + " is " + use.get()
                    + "; unmap it first");
        }
        return accepted(jobs.startOnce(operation, () -> snapshots.deleteSnapshot(volume, name)));
    }

    private ApiResponse rollback(ApiRequest request) {
        String volume = requireVolume(request);
        String name = requireSnapshot(volume, request.pathParam("snapshot")).name();
        Optional<LunUse> use = LunUse.find(targets, volume::equals);
        if (use.isPresent()) {
            throw new ApiException(409, "volume-in-use", "The volume is mapped", "volume " + volume + " is " + use.get()
                    + "; hosts cache what they read and would not see a rollback change the data under them: unmap it "
                    + "(after stopping its use on every host), roll back, then map it again");
        }
        return accepted(jobs.startOnce("roll back " + volume + " to " + name, () -> snapshots.rollback(volume, name)));
    }

    private ApiResponse clone(ApiRequest request) {
        String volume = requireVolume(request);
        String name = requireSnapshot(volume, request.pathParam("snapshot")).name();
        CreateClone body = request.bodyAs(CreateClone.class);
        if (body.name() == null) {
            throw ApiErrors.invalid("name (the new volume's) is required");
        }
        String source = new ExportName(volume, name).toString();
        Optional<VolumeRecord> existing = volumes.volume(body.name());
        if (existing.isPresent() && (existing.get().origin() == null || !existing.get().origin().label().equals(source))) {
            throw ApiException.conflict("volume " + body.name() + " exists and is not a clone of " + source);
        }
        return accepted(jobs.startOnce("clone " + source + " as " + body.name(),
                () -> snapshots.cloneSnapshot(volume, name, body.name())));
    }

    private String requireVolume(ApiRequest request) {
        String name = request.pathParam("volume");
        volumes.volume(name).orElseThrow(() -> ApiErrors.notFound("volume", name));
        return name;
    }

    private SnapshotRecord requireSnapshot(String volume, String name) {
        return snapshots.snapshot(volume, name).orElseThrow(() -> ApiErrors.notFound("snapshot", new ExportName(volume, name).toString()));
    }

    private static ApiResponse accepted(Job job) {
        return ApiResponse.accepted(JobResource.view(job), JobResource.BASE + "/" + job.id());
    }

    private static String location(String volume, String snapshot) {
        return VolumeResource.BASE + "/" + volume + "/snapshots/" + snapshot;
    }

    /** Snapshot ids grow with creation, so this key lists oldest first. */
    private static String cursor(SnapshotRecord snapshot) {
        return String.format("%019d", snapshot.id());
    }
}
