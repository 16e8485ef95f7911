package dev.quarry.admin.http;

import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One operation of the API: method, path template ({@code /api/v1/pools/{pool}}), the handler and
 * the summary that documents it. The route table is the single source of both dispatch and the
 * published API description, so the two cannot drift apart.
 *
 * <p>Immutable and thread-safe.
 */
public record Route(HttpMethod method, String template, String summary, RouteHandler handler) {

    private static final Pattern PARAMETER = Pattern.compile("\\{([a-zA-Z][a-zA-Z0-9]*)}");

    public Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(handler, "handler");
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("template must start with /: " + template);
        }
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
