package dev.quarry.appliance.target;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.quarry.appliance.state.StateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps the target configuration in one JSON file, written atomically and readable by its owner
 * only (mode 0600: it holds CHAP secrets).
 *
 * <p>Not thread-safe; {@link TargetManager} serialises access.
 */
public final class TargetConfigStore {

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final Path file;

    public TargetConfigStore(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** The stored configuration, or an empty one when none was stored yet. Blocks on file I/O. */
    public TargetsDocument load() throws IOException {
        if (!Files.exists(file)) {
            return TargetsDocument.empty();
        }
        return JSON.readValue(file.toFile(), TargetsDocument.class);
    }

    /** Replaces the stored configuration durably. Blocks on file I/O and fsync. */
    public void save(TargetsDocument document) throws IOException {
        StateFiles.write(file, JSON.writeValueAsBytes(document));
    }
}
