package dev.quarry.admin.http;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Builds the OpenAPI 3.1 document of a route table: one operation per route, request and response
 * schemas derived from the records the handlers read and answer, problem details for every error,
 * and bearer authentication on every route that is not {@link Access#OPEN}. Built from the same
 * table the router dispatches on, so the description cannot list a route that is not served.
 *
 * <p>Not thread-safe; build one per request (it is cheap) and discard it.
 */
public final class OpenApiDocument {

    private static final String SCHEMAS = "#/components/schemas/";
    private static final Map<String, Object> INT32 = Map.of("type", "integer", "format", "int32");
    private static final Map<String, Object> INT64 = Map.of("type", "integer", "format", "int64");
    private static final Map<Class<?>, Map<String, Object>> SCALARS = Map.ofEntries(
            Map.entry(String.class, Map.of("type", "string")),
            Map.entry(int.class, INT32), Map.entry(Integer.class, INT32),
            Map.entry(long.class, INT64), Map.entry(Long.class, INT64),
            Map.entry(boolean.class, Map.of("type", "boolean")), Map.entry(Boolean.class, Map.of("type", "boolean")),
            Map.entry(double.class, Map.of("type", "number")), Map.entry(Double.class, Map.of("type", "number")),
            Map.entry(UUID.class, Map.of("type", "string", "format", "uuid")));

    private final Map<Class<?>, Map<String, Object>> customSchemas;
    private final Map<String, Object> components = new TreeMap<>();

    /**
     * @param customSchemas schemas for types the reflection walk cannot describe (a size that is a
     *     number or "100GiB")
     */
    public OpenApiDocument(Map<Class<?>, Map<String, Object>> customSchemas) {
        this.customSchemas = Map.copyOf(customSchemas);
    }

    /** The document for {@code routes}, as a tree Jackson writes as JSON. */
    public Map<String, Object> build(String title, String version, List<Route> routes) {
        Map<String, Object> paths = new TreeMap<>();
        for (Route route : routes) {
            @SuppressWarnings("unchecked")
            Map<String, Object> path = (Map<String, Object>) paths.computeIfAbsent(route.template(), t -> new LinkedHashMap<>());
            path.put(route.method().name().toLowerCase(Locale.ROOT), operation(route));
        }
        components.put("Problem", schemaOf(Problem.class));
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("openapi", "3.1.0");
        document.put("info", Map.of("title", title, "version", version));
        document.put("paths", paths);
        document.put("components", Map.of("schemas", components,
                "securitySchemes", Map.of("bearer", Map.of("type", "http", "scheme", "bearer"))));
        document.put("security", List.of(Map.of("bearer", List.of())));
        return document;
    }

    private Map<String, Object> operation(Route route) {
        Map<String, Object> operation = new LinkedHashMap<>();
        operation.put("summary", route.summary());
        operation.put("operationId", operationId(route));
        operation.put("x-quarry-access", route.access().name().toLowerCase(Locale.ROOT));
        if (route.access() == Access.OPEN) {
            operation.put("security", List.of());
        }
        List<Object> parameters = new ArrayList<>();
        for (String name : route.parameterNames()) {
            parameters.add(Map.of("name", name, "in", "path", "required", true, "schema", Map.of("type", "string")));
        }
        for (Route.QueryParameter q : route.query()) {
            parameters.add(Map.of("name", q.name(), "in", "query", "required", false, "description", q.description(),
                    "schema", Map.of("type", q.integer() ? "integer" : "string")));
        }
        if (!parameters.isEmpty()) {
            operation.put("parameters", parameters);
        }
        if (route.requestType() != null) {
            operation.put("requestBody", Map.of("required", true,
                    "content", Map.of("application/json", Map.of("schema", schemaOf(route.requestType())))));
        }
        Map<String, Object> responses = new LinkedHashMap<>();
        Map<String, Object> success = new LinkedHashMap<>();
        success.put("description", describe(route.status()));
        if (route.responseType() != null) {
            Map<String, Object> schema = route.itemType() != null ? pageOf(route.itemType()) : schemaOf(route.responseType());
            success.put("content", Map.of("application/json", Map.of("schema", schema)));
        }
        responses.put(String.valueOf(route.status()), success);
        responses.put("default", Map.of("description", "An RFC 9457 problem detail",
                "content", Map.of("application/problem+json", Map.of("schema", Map.of("$ref", SCHEMAS + "Problem")))));
        operation.put("responses", responses);
        return operation;
    }

    /** "GET /api/v1/pools/{pool}/disks" becomes "getPoolsPoolDisks": stable, unique per route. */
    static String operationId(Route route) {
        StringBuilder id = new StringBuilder(route.method().name().toLowerCase(Locale.ROOT));
        for (String segment : route.segments()) {
            if (segment.equals("api") || segment.equals("v1") || segment.isEmpty()) {
                continue;
            }
            String word = segment.replaceAll("[{}.]", "");
            id.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return id.toString();
    }

    private static String describe(int status) {
        return switch (status) {
            case 201 -> "Created";
            case 202 -> "Accepted: the operation runs as a job; Location names it";
            case 204 -> "Done, no body";
            default -> "OK";
        };
    }

    private Map<String, Object> pageOf(Class<?> itemType) {
        return Map.of("type", "object", "properties", Map.of(
                "items", Map.of("type", "array", "items", schemaOf(itemType)),
                "next", Map.of("type", "string", "description", "Pass as `after` for the next page; absent on the last")));
    }

    /** A schema for {@code type}: a $ref for records (described once under components), inline otherwise. */
    Map<String, Object> schemaOf(Type type) {
        if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            if (List.class.isAssignableFrom(raw)) {
                return Map.of("type", "array", "items", schemaOf(parameterized.getActualTypeArguments()[0]));
            }
            if (Map.class.isAssignableFrom(raw)) {
                return Map.of("type", "object", "additionalProperties", schemaOf(parameterized.getActualTypeArguments()[1]));
            }
            return schemaOf(raw);
        }
        Class<?> cls = (Class<?>) type;
        Map<String, Object> custom = customSchemas.get(cls);
        if (custom != null) {
            return custom;
        }
        Map<String, Object> simple = simpleSchema(cls);
        if (simple != null) {
            return simple;
        }
        if (cls.isRecord()) {
            String name = cls.getSimpleName();
            if (!components.containsKey(name)) {
                components.put(name, Map.of());
                components.put(name, recordSchema(cls));
            }
            return Map.of("$ref", SCHEMAS + name);
        }
        return Map.of("type", "object");
    }

    private Map<String, Object> recordSchema(Class<?> cls) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (RecordComponent component : cls.getRecordComponents()) {
            properties.put(component.getName(), schemaOf(component.getGenericType()));
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        schema.put("additionalProperties", false);
        return schema;
    }

    private static Map<String, Object> simpleSchema(Class<?> cls) {
        Map<String, Object> scalar = SCALARS.get(cls);
        if (scalar != null) {
            return scalar;
        }
        if (cls.isEnum()) {
            List<String> values = new ArrayList<>();
            for (Object constant : cls.getEnumConstants()) {
                values.add(((Enum<?>) constant).name());
            }
            return Map.of("type", "string", "enum", values);
        }
        if (List.class.isAssignableFrom(cls)) {
            return Map.of("type", "array");
        }
        return null;
    }
}
