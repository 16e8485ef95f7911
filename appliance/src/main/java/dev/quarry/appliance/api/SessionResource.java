package dev.quarry.appliance.api;

import dev.quarry.admin.http.ApiRequest;
import dev.quarry.admin.http.ApiResponse;
import dev.quarry.admin.http.Page;
import dev.quarry.admin.http.Route;
import dev.quarry.iscsi.server.IscsiServer;
import dev.quarry.iscsi.session.SessionSummary;
import io.netty.handler.codec.http.HttpMethod;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code /api/v1/sessions}: the live iSCSI sessions, and forcing one to log out (the initiator is
 * asked with an asynchronous logout request; its connection is dropped after the logout grace if
 * it does not comply).
 *
 * <p>Stateless and thread-safe.
 */
final class SessionResource {

    private static final String BASE = "/api/v1/sessions";

    /**
     * A live session: TSIH, initiator name and ISID (12 hex digits), target (empty for discovery),
     * the initiator's address and the portal it came in through ("host:port"), login time.
     */
    public record SessionView(int tsih, String initiator, String isid, String target, String initiatorAddress,
                              String portal, String loggedIn) {

        static SessionView of(SessionSummary s) {
            return new SessionView(s.tsih(), s.initiatorName(), HexFormat.of().toHexDigits(s.isid()).substring(4), s.targetName(),
                    s.initiatorAddress(), s.portalAddress(), s.loggedIn().toString());
        }
    }

    private final IscsiServer iscsi;

    SessionResource(IscsiServer iscsi) {
        this.iscsi = iscsi;
    }

    List<Route> routes() {
        return List.of(
                new Route(HttpMethod.GET, BASE, "List live iSCSI sessions", this::list).paginated(SessionView.class),
                new Route(HttpMethod.GET, BASE + "/{tsih}", "Read a session", this::get).withResponse(200, SessionView.class),
                new Route(HttpMethod.DELETE, BASE + "/{tsih}", "Force a session to log out (idempotent)", this::logout)
                        .withResponse(204, null));
    }

    private ApiResponse list(ApiRequest request) {
        List<SessionView> all = iscsi.sessions().stream().map(SessionView::of).toList();
        return ApiResponse.ok(Page.of(all, s -> String.format("%05d", s.tsih()), request));
    }

    private ApiResponse get(ApiRequest request) {
        int tsih = tsih(request);
        return ApiResponse.ok(iscsi.sessions().stream().filter(s -> s.tsih() == tsih).findFirst().map(SessionView::of)
                .orElseThrow(() -> ApiErrors.notFound("session", String.valueOf(tsih))));
    }

    private ApiResponse logout(ApiRequest request) {
        iscsi.requestLogout(tsih(request));
        return ApiResponse.noContent();
    }

    private static int tsih(ApiRequest request) {
        try {
            return Integer.parseInt(request.pathParam("tsih"));
        } catch (NumberFormatException e) {
            throw ApiErrors.invalid("a session is named by its TSIH, a number: " + request.pathParam("tsih"));
        }
    }
}
