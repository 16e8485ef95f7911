package dev.quarry.admin.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpApiServerTest {

    record Greeting(String name) {
    }

    private static HttpApiServer server;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        Router router = new Router()
                .add(new Route(HttpMethod.GET, "/api/v1/things/{name}", "get a thing",
                        request -> ApiResponse.ok(Map.of("name", request.pathParam("name")))))
                .add(new Route(HttpMethod.GET, "/api/v1/things/special", "the literal route wins",
                        request -> ApiResponse.ok(Map.of("special", true))))
                .add(new Route(HttpMethod.POST, "/api/v1/things", "create a thing",
                        request -> ApiResponse.created(request.bodyAs(Greeting.class), "/api/v1/things/x")))
                .add(new Route(HttpMethod.GET, "/api/v1/broken", "fails",
                        request -> {
                            throw new IllegalStateException("secret internal detail");
                        }));
        server = HttpApiServer.start("127.0.0.1", 0, router);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void shouldServeJsonWithDecodedPathParameters() throws Exception {
        HttpResponse<String> response = get("/api/v1/things/a%2Fb");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(json(response).get("name").asText()).isEqualTo("a/b");
    }

    @Test
    void shouldPreferLiteralSegmentsOverParameters() throws Exception {
        assertThat(json(get("/api/v1/things/special")).get("special").asBoolean()).isTrue();
    }

    @Test
    void shouldAnswerUnknownPathWithProblemJson() throws Exception {
        HttpResponse<String> response = get("/api/v1/nothing");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.get("type").asText()).isEqualTo(Problem.TYPE_BASE + "no-route");
        assertThat(problem.get("status").asInt()).isEqualTo(404);
        assertThat(problem.get("instance").asText()).isEqualTo("/api/v1/nothing");
    }

    @Test
    void shouldAnswerWrongMethodWith405AndAllowHeader() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/things/x")).DELETE());
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("allow")).hasValue("GET");
    }

    @Test
    void shouldRefuseMalformedAndUnknownJsonFieldsWith400() throws Exception {
        HttpResponse<String> malformed = post("/api/v1/things", "{\"name\":");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(json(malformed).get("type").asText()).endsWith("/bad-request");
        assertThat(post("/api/v1/things", "{\"name\":\"a\",\"extra\":1}").statusCode()).isEqualTo(400);
        HttpResponse<String> created = post("/api/v1/things", "{\"name\":\"a\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("location")).hasValue("/api/v1/things/x");
    }

    @Test
    void shouldAnswerAnOversizedBodyWithAProblem() throws Exception {
        String big = "{\"name\":\"" + "x".repeat(HttpApiServer.MAX_BODY_BYTES) + "\"}";
        HttpResponse<String> response = post("/api/v1/things", big);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(json(response).get("type").asText()).isEqualTo(Problem.TYPE_BASE + "payload-too-large");
    }

    @Test
    void shouldHideInternalFailureDetails() throws Exception {
        HttpResponse<String> response = get("/api/v1/broken");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).doesNotContain("secret internal detail");
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return CLIENT.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.MAPPER.readTree(response.body());
    }
}
