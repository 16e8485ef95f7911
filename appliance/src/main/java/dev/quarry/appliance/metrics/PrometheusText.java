package dev.quarry.appliance.metrics;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import java.io.IOException;

/**
 * A Prometheus text exposition as an admin API body. The admin server renders every body through
 * Jackson, so this body writes itself verbatim ({@link JsonGenerator#writeRawValue}) instead of
 * as a JSON string; the route sets the content type to {@link #CONTENT_TYPE}.
 *
 * <p>Immutable and thread-safe.
 */
record PrometheusText(String text) implements JsonSerializable {

    /** The Prometheus text format, version 0.0.4. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    @Override
    public void serialize(JsonGenerator gen, SerializerProvider serializers) throws IOException {
        gen.writeRawValue(text);
    }

    @Override
    public void serializeWithType(JsonGenerator gen, SerializerProvider serializers, TypeSerializer typeSer)
            throws IOException {
        serialize(gen, serializers);
    }
}
