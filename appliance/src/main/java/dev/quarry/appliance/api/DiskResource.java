package dev.quarry.appliance.api;

import dev.quarry.admin.http.ApiException;
import dev.quarry.admin.http.ApiRequest;
import dev.quarry.admin.http.ApiResponse;
import dev.quarry.admin.http.Page;
import dev.quarry.admin.http.Route;
import dev.quarry.appliance.disk.IscsiDiskOpener;
import dev.quarry.appliance.disk.IscsiLocator;
import dev.quarry.volume.disk.DiskRecord;
import dev.quarry.volume.disk.DiskState;
import dev.quarry.volume.disk.DiskStatistics;
import dev.quarry.volume.disk.TierClass;
import dev.quarry.volume.pool.DiskSpec;
import dev.quarry.volume.pool.Job;
import dev.quarry.volume.pool.PoolService;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code /api/v1/pools/{pool}/disks}: the backend disks of a pool. Adding is idempotent (the same
 * device again returns its record); removing drains the disk first and answers 202 with the job.
 *
 * <p>Stateless apart from the shared {@link JobRegistry}; thread-safe.
 */
final class DiskResource {

    private static final String BASE = PoolResource.BASE + "/{pool}/disks";

    /**
     * A disk to add: {@code file:PATH} (or {@code file+direct:PATH}) for a file or block device, or
     * {@code iscsi://[user%secret@]host[:port]/iqn/lun} for a LUN of another array (the secret is
     * filed in the appliance's secret store, never kept in the locator).
     */
    public record AddDisk(String locator, TierClass tier, String failureDomain) {
    }

    /** A backend disk with its figures. */
    public record DiskView(int id, UUID uuid, String locator, TierClass tier, String failureDomain, DiskState state,
                           long capacityBytes, int freeSegments, long liveBytes, long readErrors, long writeErrors) {
    }

    private final PoolService pools;
    private final JobRegistry jobs;
    private final Optional<IscsiDiskOpener> remoteDisks;

    DiskResource(PoolService pools, JobRegistry jobs, Optional<IscsiDiskOpener> remoteDisks) {
        this.pools = pools;
        this.jobs = jobs;
        this.remoteDisks = remoteDisks;
    }

    List<Route> routes() {
        return List.of(
                new Route(HttpMethod.GET, BASE, "List the backend disks of a pool", this::list).paginated(DiskView.class),
                new Route(HttpMethod.POST, BASE, "Add a backend disk (idempotent: the same device again returns it)", this::add)
                        .withRequest(AddDisk.class).withResponse(201, DiskView.class),
                new Route(HttpMethod.GET, BASE + "/{disk}", "Read a backend disk", this::get).withResponse(200, DiskView.class),
                new Route(HttpMethod.DELETE, BASE + "/{disk}", "Drain a backend disk and remove it (202 and a job; 204 when gone)",
                        this::remove).withResponse(202, JobResource.JobView.class));
    }

    private ApiResponse list(ApiRequest request) {
        String pool = request.pathParam("pool");
        PoolResource.require(pools, pool);
        List<DiskView> all = views(pool);
        return ApiResponse.ok(Page.of(all, d -> String.format("%05d", d.id()), request));
    }

    private ApiResponse add(ApiRequest request) {
        String pool = request.pathParam("pool");
        PoolResource.require(pools, pool);
        AddDisk body = request.bodyAs(AddDisk.class);
        if (body.locator() == null || body.locator().isBlank()) {
            throw ApiErrors.invalid("locator is required (file:/path or iscsi://host/iqn/lun)");
        }
        String locator = register(body.locator());
        DiskSpec spec = new DiskSpec(locator, body.tier() == null ? TierClass.SAS : body.tier(),
                body.failureDomain() == null ? "default" : body.failureDomain());
        List<Integer> before = pools.disks(pool).stream().map(DiskRecord::id).toList();
        DiskRecord record;
        try {
            record = pools.addDisk(pool, spec);
        } catch (UncheckedIOException e) {
            throw ApiErrors.unavailableDevice(e.getMessage());
        }
        DiskView view = view(pool, record);
        return before.contains(record.id()) ? ApiResponse.ok(view)
                : ApiResponse.created(view, PoolResource.BASE + "/" + pool + "/disks/" + record.id());
    }

    /** Files an iscsi:// locator's secret and returns it without; other locators pass as given. */
    private String register(String locator) {
        if (!locator.regionMatches(true, 0, IscsiLocator.SCHEME, 0, IscsiLocator.SCHEME.length())) {
            return locator;
        }
        IscsiDiskOpener opener = remoteDisks.orElseThrow(() -> ApiErrors.invalid("this appliance has no iSCSI initiator "
                + "for remote disks (set remoteDisks.initiatorName in the configuration)"));
        try {
            return opener.register(locator);
        } catch (IOException e) {
            throw new UncheckedIOException("filing the CHAP secret of a remote disk failed", e);
        }
    }

    private ApiResponse get(ApiRequest request) {
        String pool = request.pathParam("pool");
        PoolResource.require(pools, pool);
        int id = diskId(request.pathParam("disk"));
        return ApiResponse.ok(pools.disks(pool).stream().filter(d -> d.id() == id).findFirst().map(d -> view(pool, d))
                .orElseThrow(() -> ApiException.notFound("pool " + pool + " has no disk " + id)));
    }

    private ApiResponse remove(ApiRequest request) {
        String pool = request.pathParam("pool");
        PoolResource.require(pools, pool);
        int id = diskId(request.pathParam("disk"));
        Optional<DiskRecord> disk = pools.disks(pool).stream().filter(d -> d.id() == id).findFirst();
        if (disk.isEmpty()) {
            return ApiResponse.noContent();
        }
        // A drain a restart resumed is returned by removeDisk itself, so this answers with its job too.
        Job job = jobs.startOnce("drain " + pool + "/" + id, () -> pools.removeDisk(pool, id));
        return ApiResponse.accepted(JobResource.view(job), JobResource.BASE + "/" + job.id());
    }

    /** A locator as shown: an iscsi:// one that still carries an inline secret is shown without it. */
    private static String withoutSecret(String locator) {
        if (!locator.regionMatches(true, 0, IscsiLocator.SCHEME, 0, IscsiLocator.SCHEME.length())) {
            return locator;
        }
        try {
            return IscsiLocator.parse(locator).withoutSecret().format();
        } catch (IllegalArgumentException e) {
            return IscsiLocator.SCHEME + "(unparseable locator hidden)";
        }
    }

    private static int diskId(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ApiErrors.invalid("a disk is named by its number: " + text);
        }
    }

    private List<DiskView> views(String pool) {
        return pools.disks(pool).stream().map(d -> view(pool, d)).toList();
    }

    private DiskView view(String pool, DiskRecord disk) {
        DiskStatistics stats = pools.statistics(pool).disks().stream().filter(s -> s.diskId() == disk.id()).findFirst()
                .orElse(new DiskStatistics(disk.id(), disk.state(), disk.tier(), 0, 0, 0, 0, 0, 0, 0));
        return new DiskView(disk.id(), disk.uuid(), withoutSecret(disk.locator()), disk.tier(), disk.failureDomain(), stats.state(),
                stats.capacityBytes(), stats.freeSegments(), stats.liveBytes(), stats.readErrors(), stats.writeErrors());
    }
}
