package dev.quarry.appliance.api;

import dev.quarry.admin.http.ApiException;
import dev.quarry.admin.http.ApiRequest;
import dev.quarry.admin.http.ApiResponse;
import dev.quarry.admin.http.Page;
import dev.quarry.admin.http.Route;
import dev.quarry.iscsi.server.IscsiServer;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * {@code /api/v1/portals}: the addresses the iSCSI server listens on. PUT binds one more (and
 * stores it, so it is bound again after a restart), DELETE unbinds one added that way; the portal
 * of the configuration file is changed there. Both are idempotent.
 *
 * <p>Stateless apart from the {@link PortalStore}; thread-safe.
 */
final class PortalResource {

    private static final String BASE = "/api/v1/portals";

    /** A portal: {@code host:port}, and whether it was added through the API (else it is configured). */
    public record PortalView(String portal, boolean added) {
    }

    private final IscsiServer iscsi;
    private final PortalStore store;

    PortalResource(IscsiServer iscsi, PortalStore store) {
        this.iscsi = iscsi;
        this.store = store;
    }

    List<Route> routes() {
        return List.of(
                new Route(HttpMethod.GET, BASE, "List the iSCSI portals", this::list).paginated(PortalView.class),
                new Route(HttpMethod.PUT, BASE + "/{portal}", "Listen on one more portal, host:port (idempotent)", this::add)
                        .withResponse(200, PortalView.class),
                new Route(HttpMethod.DELETE, BASE + "/{portal}", "Stop listening on a portal added here (idempotent)", this::remove)
                        .withResponse(204, null));
    }

    private ApiResponse list(ApiRequest request) {
        List<String> added = stored();
        List<PortalView> all = iscsi.boundAddresses().stream().map(PortalStore::format).sorted()
                .map(p -> new PortalView(p, added.contains(p))).toList();
        return ApiResponse.ok(Page.of(all, PortalView::portal, request));
    }

    private ApiResponse add(ApiRequest request) {
        InetSocketAddress wanted = PortalStore.parse(request.pathParam("portal"));
        if (wanted.getPort() == 0) {
            throw ApiErrors.invalid("a portal needs a port (3260 is iSCSI's)");
        }
        String name = PortalStore.format(wanted);
        if (find(wanted) == null) {
            try {
                iscsi.addPortal(wanted);
            } catch (IllegalStateException e) {
                throw new ApiException(409, "portal-unavailable", "The portal cannot be bound",
                        "cannot listen on " + name + ": " + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()));
            }
        }
        if (!stored().contains(name)) {
            store.add(name);
        }
        return ApiResponse.ok(new PortalView(name, true));
    }

    private ApiResponse remove(ApiRequest request) {
        InetSocketAddress wanted = PortalStore.parse(request.pathParam("portal"));
        String name = PortalStore.format(wanted);
        InetSocketAddress bound = find(wanted);
        if (bound != null && !stored().contains(name)) {
            throw new ApiException(409, "configured-portal", "The portal comes from the configuration file",
                    name + " is the configured portal; change iscsi.bind / iscsi.port in the configuration file");
        }
        if (bound != null) {
            iscsi.removePortal(bound);
        }
        store.remove(name);
        return ApiResponse.noContent();
    }

    private InetSocketAddress find(InetSocketAddress wanted) {
        return iscsi.boundAddresses().stream().filter(a -> a.getPort() == wanted.getPort()
                && (a.getHostString().equals(wanted.getHostString()) || a.getAddress() != null && wanted.getAddress() != null
                && a.getAddress().equals(wanted.getAddress()))).findFirst().orElse(null);
    }

    private List<String> stored() {
        try {
            return store.load();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the stored portals failed", e);
        }
    }
}
