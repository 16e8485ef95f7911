package dev.quarry.admin.http;

import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Matches request paths against route templates. Literal segments win over parameters, so
 * {@code /volumes/search} and {@code /volumes/{name}} can coexist. Unknown paths are 404,
 * known paths with another method are 405 with an {@code Allow} list.
 *
 * <p>Thread-safe: routes may be added while requests are served.
 */
public final class Router {

    private final List<Route> routes = new CopyOnWriteArrayList<>();

    /** A matched route and its path parameters. */
    public record Match(Route route, Map<String, String> pathParams) {
    }

    public Router add(Route route) {
        for (Route existing : routes) {
            if (existing.method().equals(route.method()) && existing.template().equals(route.template())) {
                throw new IllegalArgumentException("duplicate route " + route.method() + " " + route.template());
            }
        }
        routes.add(route);
        return this;
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    /**
     * The route for {@code method} and {@code path} (already URL-decoded per segment by the
     * caller's split).
     *
     * @throws ApiException 404 when no template matches the path, 405 when only other methods do
     */
    public Match match(HttpMethod method, List<String> pathSegments) {
        Match best = null;
        int bestLiterals = -1;
        Set<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            Map<String, String> params = bind(route.segments(), pathSegments);
            if (params == null) {
                continue;
            }
            allowed.add(route.method().name());
            int literals = route.segments().size() - params.size();
            if (route.method().equals(method) && literals > bestLiterals) {
                best = new Match(route, params);
                bestLiterals = literals;
            }
        }
        if (best != null) {
            return best;
        }
        if (allowed.isEmpty()) {
            throw new ApiException(404, "no-route", "No such route", "no resource at /" + String.join("/", pathSegments));
        }
        throw new MethodNotAllowedException(method, new ArrayList<>(allowed));
    }

    private static Map<String, String> bind(List<String> template, List<String> path) {
        if (template.size() != path.size()) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String name = Route.parameterOf(template.get(i));
            if (name != null) {
                if (path.get(i).isEmpty()) {
                    return null;
                }
                params.put(name, path.get(i));
            } else if (!template.get(i).equals(path.get(i))) {
                return null;
            }
        }
        return params;
    }

    /** 405, carrying the methods the path does accept. */
    public static final class MethodNotAllowedException extends ApiException {
        private static final long serialVersionUID = 1L;
        private final List<String> allowed;

        MethodNotAllowedException(HttpMethod method, List<String> allowed) {
            super(405, "method-not-allowed", "Method not allowed", method + " is not allowed here; allowed: " + allowed);
            this.allowed = List.copyOf(allowed);
        }

        public List<String> allowed() {
            return allowed;
        }
    }
}
