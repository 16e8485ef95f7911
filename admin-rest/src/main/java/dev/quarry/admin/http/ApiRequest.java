package dev.quarry.admin.http;

import com.fasterxml.jackson.core.JacksonException;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Map;

/**
 * An HTTP request as a route handler sees it: the matched path parameters, the query, and the
 * body already received in full.
 *
 * <p>Immutable once built; handed to one handler on a worker thread.
 */
public record ApiRequest(HttpMethod method, String path, Map<String, String> pathParams,
                         Map<String, List<String>> query, HttpHeaders headers, byte[] body) {

    /** A path parameter that the route template guarantees. */
    public String pathParam(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalStateException("route has no path parameter " + name);
        }
        return value;
    }

    /** The first value of a query parameter, or {@code fallback}. */
    public String queryParam(String name, String fallback) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? fallback : values.get(0);
    }

    /** The JSON body as {@code type}; a missing or malformed body is a 400 problem. */
    public <T> T bodyAs(Class<T> type) {
        if (body.length == 0) {
            throw ApiException.badRequest("a JSON body is required");
        }
        try {
            return Json.MAPPER.readValue(body, type);
        } catch (JacksonException e) {
            throw ApiException.badRequest("malformed JSON body: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("unreadable body: " + e.getMessage());
        }
    }
}
