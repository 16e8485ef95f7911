package dev.quarry.appliance.api;

import dev.quarry.admin.http.ApiException;
import dev.quarry.admin.http.ApiRequest;
import dev.quarry.admin.http.ApiResponse;
import dev.quarry.admin.http.Page;
import dev.quarry.admin.http.Route;
import dev.quarry.volume.pool.Job;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * {@code /api/v1/jobs}: the long operations (drains, snapshot deletions, rollbacks and clone
 * copies; resync and migration as later issues add them) with their progress.
 *
 * <p>Stateless apart from the shared {@link JobRegistry}; thread-safe.
 */
final class JobResource {

    static final String BASE = "/api/v1/jobs";

    /** A job as clients poll it. {@code error} is set when it failed. */
    public record JobView(String id, String description, Job.State state, double percent, long bytesDone, long bytesTotal,
                          long bytesPerSecond, String error) {
    }

    private final JobRegistry jobs;

    JobResource(JobRegistry jobs) {
        this.jobs = jobs;
    }

    List<Route> routes() {
        return List.of(
                new Route(HttpMethod.GET, BASE, "List running and recently finished jobs", this::list).paginated(JobView.class),
                new Route(HttpMethod.GET, BASE + "/{job}", "Read a job's progress", this::get).withResponse(200, JobView.class));
    }

    private ApiResponse list(ApiRequest request) {
        return ApiResponse.ok(Page.of(jobs.jobs().stream().map(JobResource::view).toList(), JobView::id, request));
    }

    private ApiResponse get(ApiRequest request) {
        String id = request.pathParam("job");
        return ApiResponse.ok(view(jobs.find(id).orElseThrow(() -> ApiException.notFound("no job " + id))));
    }

    static JobView view(Job job) {
        String error = null;
        if (job.state() == Job.State.FAILED) {
            try {
                job.completion().join();
            } catch (CompletionException e) {
                error = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
            }
        }
        return new JobView(job.id(), job.description(), job.state(), job.percent(), job.bytesDone(), job.bytesTotal(),
                job.bytesPerSecond(), error);
    }
}
