package dev.quarry.appliance.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.admin.http.Problem;
import dev.quarry.admin.http.Route;
import dev.quarry.appliance.Appliance;
import dev.quarry.appliance.testing.ApiTester;
import dev.quarry.appliance.testing.ApplianceFixture;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves that {@code /openapi.json} describes exactly what the appliance serves: the same
 * (method, path) pairs as the router, every documented operation answered by a route (never
 * "no-route" or 405), and list answers whose fields are the ones the schemas declare.
 */
class OpenApiIT {

    @TempDir
    static Path data;

    private static Appliance appliance;
    private static ApiTester api;

    @BeforeAll
    static void start() throws Exception {
        appliance = Appliance.start(ApplianceFixture.settings(data), (volumes, targets) -> {
            ApplianceFixture.pool(volumes, data, 256L << 20);
            ApplianceFixture.volume(volumes, "v", 16L << 20);
        });
        api = ApiTester.http(appliance.http().port(), null);
    }

    @AfterAll
    static void stop() {
        appliance.close();
    }

    @Test
    void shouldDescribeExactlyTheServedRoutes() throws Exception {
        JsonNode document = api.get(ApplianceApi.OPENAPI_PATH).json();
        assertThat(document.get("openapi").asText()).isEqualTo("3.1.0");
        Set<String> documented = new TreeSet<>();
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames()
                .forEachRemaining(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));
        Set<String> served = new TreeSet<>();
        for (Route route : appliance.router().routes()) {
            served.add(route.method().name() + " " + route.template());
        }
        assertThat(documented).isEqualTo(served);
        assertThat(documented).contains("GET /api/v1/pools", "POST /api/v1/volumes", "PUT /api/v1/targets/{target}/luns/{lun}",
                "DELETE /api/v1/sessions/{tsih}", "GET /api/v1/jobs/{job}", "GET /api/v1/health", "GET /openapi.json");
    }

    @Test
    void shouldAnswerEveryDocumentedOperationFromARoute() throws Exception {
        JsonNode paths = api.get(ApplianceApi.OPENAPI_PATH).json().get("paths");
        Iterator<Map.Entry<String, JsonNode>> it = paths.fields();
        int probed = 0;
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> path = it.next();
            String concrete = path.getKey().replaceAll("\\{(disk|lun|tsih)}", "9").replaceAll("\\{[a-z]+}", "absent");
            for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
                String method = methods.next().toUpperCase(Locale.ROOT);
                String body = method.equals("POST") || method.equals("PUT") ? "{}" : null;
                ApiTester.Answer answer = api.send(method, concrete, body);
                assertThat(answer.status()).as(method + " " + concrete + " -> " + answer).isNotEqualTo(405);
                if (answer.status() >= 400) {
                    assertThat(answer.json().get("type").asText()).as(method + " " + concrete)
                            .isNotEqualTo(Problem.TYPE_BASE + "no-route").isNotEqualTo(Problem.TYPE_BASE + "internal");
                }
                probed++;
            }
        }
        assertThat(probed).isGreaterThan(30);
    }

    @Test
    void shouldAnswerListsWithTheFieldsTheSchemasDeclare() throws Exception {
        JsonNode document = api.get(ApplianceApi.OPENAPI_PATH).json();
        JsonNode schemas = document.get("components").get("schemas");
        for (String list : new String[] {"/api/v1/pools", "/api/v1/volumes", "/api/v1/pools/test/disks", "/api/v1/portals"}) {
            JsonNode itemSchema = document.get("paths").get(list.replace("/test/", "/{pool}/")).get("get").get("responses").get("200")
                    .get("content").get("application/json").get("schema").get("properties").get("items").get("items");
            String name = itemSchema.get("$ref").asText().substring("#/components/schemas/".length());
            Set<String> declared = new HashSet<>();
            schemas.get(name).get("properties").fieldNames().forEachRemaining(declared::add);
            JsonNode items = api.get(list).json().get("items");
            assertThat(items).as(list).isNotEmpty();
            for (JsonNode item : items) {
                Set<String> fields = new HashSet<>();
                item.fieldNames().forEachRemaining(fields::add);
                assertThat(declared).as(list + " item fields").containsAll(fields);
            }
        }
    }
}
