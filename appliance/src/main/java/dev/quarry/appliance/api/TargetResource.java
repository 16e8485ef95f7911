package dev.quarry.appliance.api;

import dev.quarry.admin.http.ApiRequest;
import dev.quarry.admin.http.ApiResponse;
import dev.quarry.admin.http.Page;
import dev.quarry.admin.http.Route;
import dev.quarry.appliance.target.ChapSettings;
import dev.quarry.appliance.target.LunMapping;
import dev.quarry.appliance.target.TargetDefinition;
import dev.quarry.appliance.target.TargetManager;
import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /api/v1/targets}: iSCSI targets, their initiator access lists and CHAP, and the CHAP of
 * discovery sessions. Create is idempotent by name; PUT and DELETE are idempotent. CHAP secrets
 * go in and never come out: views show only the user names.
 *
 * <p>Stateless and thread-safe; handlers block on the target manager (file I/O).
 */
final class TargetResource {

    static final String BASE = "/api/v1/targets";
    private static final String DISCOVERY_CHAP = "/api/v1/discovery/chap";

    /** CHAP secrets to set: {@code mutualUser}/{@code mutualSecret} for mutual CHAP, else null. */
    public record ChapRequest(String user, String secret, String mutualUser, String mutualSecret) {

        ChapSettings settings() {
            return new ChapSettings(user, secret, mutualUser, mutualSecret);
        }

        @Override
        public String toString() {
            return "ChapRequest[user=" + user + ", secrets hidden]";
        }
    }

    /** What CHAP a login must prove, without the secrets. */
    public record ChapView(String user, String mutualUser) {

        static ChapView of(ChapSettings chap) {
            return chap == null ? null : new ChapView(chap.user(), chap.mutualUser());
        }
    }

    /** A target to create: an empty {@code allowedInitiators} admits any initiator; {@code chap} null for none. */
    public record CreateTarget(String name, String alias, List<String> allowedInitiators, ChapRequest chap) {
    }

    /** The settings PUT replaces: alias and access list (LUNs and CHAP have their own resources). */
    public record UpdateTarget(String alias, List<String> allowedInitiators) {
    }

    /** A target as clients see it. */
    public record TargetView(String name, String alias, List<String> allowedInitiators, ChapView chap, List<LunMapping> luns) {

        static TargetView of(TargetDefinition target) {
            return new TargetView(target.name(), target.alias(), target.allowedInitiators(), ChapView.of(target.chap()),
                    target.luns());
        }
    }

    /** The access list of a target. */
    public record InitiatorView(String name) {
    }

    private final TargetManager targets;

    TargetResource(TargetManager targets) {
        this.targets = targets;
    }

    List<Route> routes() {
        String one = BASE + "/{target}";
        return List.of(
                new Route(HttpMethod.GET, BASE, "List targets", this::list).paginated(TargetView.class),
                new Route(HttpMethod.POST, BASE, "Create a target (idempotent by name)", this::create)
                        .withRequest(CreateTarget.class).withResponse(201, TargetView.class),
                new Route(HttpMethod.GET, one, "Read a target", r -> ApiResponse.ok(TargetView.of(require(r))))
                        .withResponse(200, TargetView.class),
                new Route(HttpMethod.PUT, one, "Set a target's alias and access list (idempotent)", this::update)
                        .withRequest(UpdateTarget.class).withResponse(200, TargetView.class),
                new Route(HttpMethod.DELETE, one, "Stop exporting a target; its sessions are asked to log out (idempotent)",
                        this::delete).withResponse(204, null),
                new Route(HttpMethod.GET, one + "/initiators", "List the initiators a target admits (empty: any)",
                        r -> ApiResponse.ok(Page.of(initiators(require(r)), InitiatorView::name, r))).paginated(InitiatorView.class),
                new Route(HttpMethod.PUT, one + "/initiators/{initiator}", "Admit an initiator (idempotent)", this::admit)
                        .withResponse(200, TargetView.class),
                new Route(HttpMethod.DELETE, one + "/initiators/{initiator}", "Stop admitting an initiator (idempotent)",
                        this::refuse).withResponse(204, null),
                new Route(HttpMethod.GET, one + "/chap", "Read the CHAP user a login must prove (secrets are never shown)",
                        r -> ApiResponse.ok(new ChapState(ChapView.of(require(r).chap())))).withResponse(200, ChapState.class),
                new Route(HttpMethod.PUT, one + "/chap", "Require CHAP for logins to the target (idempotent)", this::setChap)
                        .withRequest(ChapRequest.class).withResponse(200, ChapState.class),
                new Route(HttpMethod.DELETE, one + "/chap", "Stop requiring CHAP (idempotent)",
                        r -> update(r, t -> t.withChap(null), 204)).withResponse(204, null),
                new Route(HttpMethod.GET, DISCOVERY_CHAP, "Read the CHAP user discovery sessions must prove",
                        r -> ApiResponse.ok(new ChapState(ChapView.of(targets.currentDiscoveryChap())))).withResponse(200, ChapState.class),
                new Route(HttpMethod.PUT, DISCOVERY_CHAP, "Require CHAP for discovery sessions (idempotent)", this::setDiscoveryChap)
                        .withRequest(ChapRequest.class).withResponse(200, ChapState.class),
                new Route(HttpMethod.DELETE, DISCOVERY_CHAP, "Stop requiring CHAP for discovery (idempotent)", r -> {
                    targets.discoveryChap(null);
                    return ApiResponse.noContent();
                }).withResponse(204, null));
    }

    /** Whether CHAP is required, and for which user. */
    public record ChapState(ChapView chap) {
    }

    private ApiResponse list(ApiRequest request) {
        List<TargetView> all = targets.targets().stream().map(TargetView::of)
                .sorted(java.util.Comparator.comparing(TargetView::name)).toList();
        return ApiResponse.ok(Page.of(all, TargetView::name, request));
    }

    private ApiResponse create(ApiRequest request) {
        CreateTarget body = request.bodyAs(CreateTarget.class);
        if (body.name() == null) {
            throw ApiErrors.invalid("name is required");
        }
        TargetDefinition definition = new TargetDefinition(body.name(), body.alias(), body.allowedInitiators(),
                body.chap() == null ? null : body.chap().settings(), List.of());
        boolean existed = targets.target(body.name()).isPresent();
        TargetDefinition created = targets.create(definition);
        return existed ? ApiResponse.ok(TargetView.of(created)) : ApiResponse.created(TargetView.of(created), BASE + "/" + body.name());
    }

    private ApiResponse update(ApiRequest request) {
        UpdateTarget body = request.bodyAs(UpdateTarget.class);
        return update(request, t -> t.withAlias(body.alias()).withAllowedInitiators(body.allowedInitiators()), 200);
    }

    private ApiResponse delete(ApiRequest request) {
        String name = request.pathParam("target");
        if (targets.target(name).isPresent()) {
            targets.delete(name);
        }
        return ApiResponse.noContent();
    }

    private ApiResponse admit(ApiRequest request) {
        String initiator = request.pathParam("initiator");
        return update(request, t -> t.allowedInitiators().contains(initiator) ? t : t.withAllowedInitiators(with(t, initiator)), 200);
    }

    private ApiResponse refuse(ApiRequest request) {
        String initiator = request.pathParam("initiator");
        TargetDefinition target = require(request);
        if (!target.allowedInitiators().contains(initiator)) {
            return ApiResponse.noContent();
        }
        if (target.allowedInitiators().size() == 1) {
            throw new dev.quarry.admin.http.ApiException(409, "would-open-target", "The change would admit any initiator",
                    initiator + " is the only initiator target " + target.name() + " admits, and an empty list admits any; "
                    + "PUT the target with \"allowedInitiators\": [] to open it deliberately, or delete the target");
        }
        return update(request, t -> t.withAllowedInitiators(t.allowedInitiators().stream().filter(i -> !i.equals(initiator)).toList()),
                204);
    }

    private ApiResponse setChap(ApiRequest request) {
        ChapSettings chap = request.bodyAs(ChapRequest.class).settings();
        TargetDefinition changed = targets.update(require(request).name(), t -> t.withChap(chap));
        return ApiResponse.ok(new ChapState(ChapView.of(changed.chap())));
    }

    private ApiResponse setDiscoveryChap(ApiRequest request) {
        ChapSettings chap = request.bodyAs(ChapRequest.class).settings();
        targets.discoveryChap(chap);
        return ApiResponse.ok(new ChapState(ChapView.of(chap)));
    }

    private ApiResponse update(ApiRequest request, java.util.function.UnaryOperator<TargetDefinition> change, int status) {
        TargetDefinition changed = targets.update(require(request).name(), change);
        return status == 204 ? ApiResponse.noContent() : ApiResponse.ok(TargetView.of(changed));
    }

    private static List<String> with(TargetDefinition target, String initiator) {
        List<String> next = new ArrayList<>(target.allowedInitiators());
        next.add(initiator);
        return next;
    }

    private static List<InitiatorView> initiators(TargetDefinition target) {
        return target.allowedInitiators().stream().sorted().map(InitiatorView::new).toList();
    }

    TargetDefinition require(ApiRequest request) {
        String name = request.pathParam("target");
        return targets.target(name).orElseThrow(() -> ApiErrors.notFound("target", name));
    }
}
