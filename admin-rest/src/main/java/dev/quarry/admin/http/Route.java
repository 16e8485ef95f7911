package dev.quarry.admin.http;

import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One operation of the API: method, path template ({@code /api/v1/pools/{pool}}), the handler,
 * who may call it, and what documents it (summary, body types, query parameters). The route table
 * is the single source of both dispatch and the published OpenAPI document, so the two cannot
 * drift apart.
 *
 * <p>Immutable and thread-safe.
 *
 * @param access who may call it (GET defaults to READ, other methods to ADMIN)
 * @param requestType the JSON body it takes, or null for none
 * @param responseType the JSON body of its success answer, or null for none
 * @param itemType for a paginated list, the type of its items ({@code responseType} is {@link Page})
 * @param status the success status (200, 201, 202, 204)
 * @param query the query parameters it reads
 */
public record Route(HttpMethod method, String template, String summary, RouteHandler handler, Access access,
                   Class<?> requestType, Class<?> responseType, Class<?> itemType, int status, List<QueryParameter> query) {

    private static final Pattern PARAMETER = Pattern.compile("\\{([a-zA-Z][a-zA-Z0-9]*)}");

    /** A documented query parameter. */
    public record QueryParameter(String name, String description, boolean integer) {
    }

    public Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(summary, "summary");
        query = List.copyOf(query);
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("template must start with /: " + template);
        }
    }

    /** A route answering 200 with an undocumented body, callable per {@link Access#defaultFor}. */
    public Route(HttpMethod method, String template, String summary, RouteHandler handler) {
        this(method, template, summary, handler, Access.defaultFor(method), null, null, null, 200, List.of());
    }

    public Route withAccess(Access who) {
        return new Route(method, template, summary, handler, who, requestType, responseType, itemType, status, query);
    }

    /** Documents the JSON body the route takes. */
    public Route withRequest(Class<?> type) {
        return new Route(method, template, summary, handler, access, type, responseType, itemType, status, query);
    }

    /** Documents the success answer: its status and body type (null for none). */
    public Route withResponse(int successStatus, Class<?> type) {
        return new Route(method, template, summary, handler, access, requestType, type, itemType, successStatus, query);
    }

    /** Documents a query parameter the route reads. */
    public Route withQuery(String name, String description, boolean integer) {
        List<QueryParameter> next = new ArrayList<>(query);
        next.add(new QueryParameter(name, description, integer));
        return new Route(method, template, summary, handler, access, requestType, responseType, itemType, status, next);
    }

    /** A list route: answers a {@link Page} of {@code items} and reads {@code limit} and {@code after}. */
    public Route paginated(Class<?> items) {
        return new Route(method, template, summary, handler, access, requestType, Page.class, items, 200, query)
                .withQuery(Page.LIMIT, "Most items in this page (1.." + Page.MAX_LIMIT + ", default " + Page.DEFAULT_LIMIT + ")", true)
                .withQuery(Page.AFTER, "The `next` cursor of the previous page", false);
    }

    /** The names of the template's path parameters, in order. */
    public List<String> parameterNames() {
        Matcher m = PARAMETER.matcher(template);
        return m.results().map(r -> r.group(1)).toList();
    }

    /** The template's segments, split on '/'. */
    List<String> segments() {
        return List.of(template.substring(1).split("/", -1));
    }

    /** Whether the segment is a {parameter}; its name if so. */
    static String parameterOf(String segment) {
        Matcher m = PARAMETER.matcher(segment);
        return m.matches() ? m.group(1) : null;
    }
}
