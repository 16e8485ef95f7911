package dev.quarry.appliance.target;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.quarry.appliance.state.JsonStateFile;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Keeps the target configuration in one JSON file, written atomically and readable by its owner
 * only (mode 0600: it holds CHAP secrets).
 *
 * <p>Not thread-safe; {@link TargetManager} serialises access.
 */
public final class TargetConfigStore {

    private final JsonStateFile<TargetsDocument> state;

    public TargetConfigStore(Path file) {
        this.state = new JsonStateFile<>(file, new TypeReference<>() { }, TargetsDocument::empty);
    }

    public Path file() {
        return state.file();
    }

    /** The stored configuration, or an empty one when none was stored yet. Blocks on file I/O. */
    public TargetsDocument load() throws IOException {
        return state.load();
    }

    /** Replaces the stored configuration durably. Blocks on file I/O and fsync. */
    public void save(TargetsDocument document) throws IOException {
        state.save(document);
    }
}
