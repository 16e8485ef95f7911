package dev.quarry.admin.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
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
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.badRequest("unknown field '" + e.getPropertyName() + "'");
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw ApiException.badRequest(cause.getMessage());
        } catch (JsonMappingException e) {
            throw ApiException.badRequest("invalid or missing value for '" + path(e) + "'");
        } catch (JacksonException e) {
            throw ApiException.badRequest("malformed JSON body at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr());
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("unreadable body");
        }
    }

    /** The field a mapping error is about, or "(body)" when it is the body as a whole. */
    private static String path(JsonMappingException e) {
        String path = Json.fieldPath(e);
        return path.isEmpty() ? "(body)" : path;
    }
}
