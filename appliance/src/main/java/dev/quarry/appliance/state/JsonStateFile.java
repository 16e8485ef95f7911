package dev.quarry.appliance.state;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * One configuration document kept as indented JSON in a state file, written through
 * {@link StateFiles#write} (atomic, durable, owner-only).
 *
 * <p>Immutable; callers serialise a read-modify-write themselves. Methods block on file I/O.
 *
 * @param <T> the document type
 */
public final class JsonStateFile<T> {

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final Path file;
    private final TypeReference<T> type;
    private final Supplier<T> absent;

    /** {@code absent}: the document when the file was never written. */
    public JsonStateFile(Path file, TypeReference<T> type, Supplier<T> absent) {
        this.file = file;
        this.type = type;
        this.absent = absent;
    }

    public Path file() {
        return file;
    }

    /** The stored document, or the absent one when none was stored yet. */
    public T load() throws IOException {
        if (!Files.exists(file)) {
            return absent.get();
        }
        return JSON.readValue(file.toFile(), type);
    }

    /** Replaces the stored document durably. */
    public void save(T document) throws IOException {
        StateFiles.write(file, JSON.writeValueAsBytes(document));
    }
}
