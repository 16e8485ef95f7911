package dev.quarry.appliance.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.quarry.appliance.ExitCodes;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * The CLI's client of the admin API: JSON in and out, a bearer token, problem details turned
 * into {@link ApiCallException}s, and lists fetched page after page.
 *
 * <p>Thread-safe (java.net.http's client is).
 */
public final class RestClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http;
    private final URI base;
    private final String token;

    /** A client of {@code base} (scheme, host and port) with {@code token} (null for none); {@code tls} null trusts the JDK's CAs. */
    public RestClient(URI base, String token, SSLContext tls) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
        this.base = base;
        this.token = token;
    }

    public URI base() {
        return base;
    }

    /** One path segment, percent-encoded ({@code iqn...:x} stays readable, '/' is escaped). */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("%3A", ":");
    }

    public JsonNode get(String path) {
        return send("GET", path, null);
    }

    public JsonNode post(String path, Object body) {
        return send("POST", path, body);
    }

    public JsonNode put(String path, Object body) {
        return send("PUT", path, body);
    }

    public JsonNode delete(String path) {
        return send("DELETE", path, null);
    }

    /** Every item of a paginated list, following {@code next} cursors. */
    public ArrayNode list(String path) {
        ArrayNode all = JSON.createArrayNode();
        String separator = path.contains("?") ? "&" : "?";
        String next = null;
        do {
            JsonNode page = get(next == null ? path : path + separator + "after=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
            page.get("items").forEach(all::add);
            next = page.hasNonNull("next") ? page.get("next").asText() : null;
        } while (next != null);
        return all;
    }

    /** The answer's JSON body (an empty object for 204), or an {@link ApiCallException} for a problem. */
    public JsonNode send(String method, String path, Object body) {
        HttpResponse<String> response = exchange(method, path, body);
        try {
            if (response.statusCode() >= 400) {
                throw problem(response);
            }
            return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILED, "the API at " + base + " answered something that is not JSON", e);
        }
    }

    /** The Location header of the answer of {@code method path}, with its body. */
    public HttpResponse<String> exchange(String method, String path, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            if (body != null) {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "cannot reach the Quarry API at " + base
                    + " (is quarry serve running? set --url or QUARRY_URL)", e);
        } catch (SSLException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "TLS with " + base + " failed: " + e.getMessage()
                    + " (trust the server's certificate with --cacert)", e);
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "talking to the Quarry API at " + base + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.FAILED, "interrupted", e);
        }
    }

    private static ApiCallException problem(HttpResponse<String> response) {
        String type = "about:blank";
        String detail = "HTTP " + response.statusCode();
        try {
            JsonNode problem = JSON.readTree(response.body());
            type = problem.path("type").asText(type);
            detail = problem.path("detail").asText(problem.path("title").asText(detail));
        } catch (IOException e) {
            detail = detail + " (no problem detail)";
        }
        return new ApiCallException(response.statusCode(), type, detail);
    }
}
