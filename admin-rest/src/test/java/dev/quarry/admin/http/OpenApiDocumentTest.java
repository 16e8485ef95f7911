package dev.quarry.admin.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenApiDocumentTest {

    enum Colour { RED, BLUE }

    record Thing(String name, long sizeBytes, Colour colour, List<String> tags) {
    }

    @Test
    void shouldDescribeRoutesWithRecordSchemasPagesAndSecurity() throws Exception {
        Router router = new Router()
                .add(new Route(HttpMethod.GET, "/api/v1/things", "List things", r -> null).paginated(Thing.class))
                .add(new Route(HttpMethod.POST, "/api/v1/things", "Create", r -> null).withRequest(Thing.class)
                        .withResponse(201, Thing.class))
                .add(new Route(HttpMethod.GET, "/api/v1/health", "Health", r -> null).withAccess(Access.OPEN));
        JsonNode doc = Json.MAPPER.valueToTree(new OpenApiDocument(Map.of()).build("t", "1", router.routes()));
        assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
        JsonNode list = doc.at("/paths/~1api~1v1~1things/get");
        assertThat(list.get("operationId").asText()).isEqualTo("getThings");
        assertThat(list.at("/responses/200/content/application~1json/schema/properties/items/items/$ref").asText())
                .isEqualTo("#/components/schemas/Thing");
        assertThat(list.get("parameters").findValuesAsText("name")).contains("limit", "after");
        JsonNode thing = doc.at("/components/schemas/Thing/properties");
        assertThat(thing.at("/sizeBytes/format").asText()).isEqualTo("int64");
        assertThat(thing.at("/colour/enum").toString()).contains("RED", "BLUE");
        assertThat(thing.at("/tags/items/type").asText()).isEqualTo("string");
        assertThat(doc.at("/paths/~1api~1v1~1things/post/responses/201").isMissingNode()).isFalse();
        assertThat(doc.at("/paths/~1api~1v1~1health/get/security").isEmpty()).isTrue();
        assertThat(doc.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
    }
}
