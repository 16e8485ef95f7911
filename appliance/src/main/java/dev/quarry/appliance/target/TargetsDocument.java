package dev.quarry.appliance.target;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The stored target configuration: every target and the CHAP secrets discovery sessions must
 * prove (null for none). {@code version} lets a later layout be told apart.
 *
 * <p>Immutable and thread-safe.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TargetsDocument(int version, ChapSettings discoveryChap, List<TargetDefinition> targets) {

    /** The layout this code writes. */
    public static final int CURRENT_VERSION = 1;

    public TargetsDocument {
        if (version != CURRENT_VERSION) {
            throw new IllegalArgumentException("unknown target configuration version " + version);
        }
        targets = targets == null ? List.of() : List.copyOf(targets);
    }

    static TargetsDocument empty() {
        return new TargetsDocument(CURRENT_VERSION, null, List.of());
    }
}
