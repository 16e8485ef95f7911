package dev.quarry.appliance.target;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * An iSCSI target as the admin defines it: its name and alias, who may log in (an empty list
 * admits any initiator), the CHAP secrets a login must prove (null for none), and its LUNs.
 *
 * <p>Immutable and thread-safe.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TargetDefinition(String name, String alias, List<String> allowedInitiators, ChapSettings chap,
                               List<LunMapping> luns) {

    public TargetDefinition {
        Objects.requireNonNull(name, "name");
        allowedInitiators = allowedInitiators == null ? List.of() : List.copyOf(allowedInitiators);
        luns = luns == null ? List.of() : luns.stream().sorted(Comparator.comparingInt(LunMapping::lun)).toList();
        if (luns.stream().map(LunMapping::lun).distinct().count() != luns.size()) {
            throw new IllegalArgumentException("target " + name + " maps a LUN number twice");
        }
    }

    /** An open target (any initiator, no CHAP) without LUNs. */
    public static TargetDefinition open(String name) {
        return new TargetDefinition(name, null, List.of(), null, List.of());
    }

    public TargetDefinition withLun(LunMapping mapping) {
        List<LunMapping> next = new java.util.ArrayList<>(luns.stream().filter(m -> m.lun() != mapping.lun()).toList());
        next.add(mapping);
        return new TargetDefinition(name, alias, allowedInitiators, chap, next);
    }

    public TargetDefinition withoutLun(int lun) {
        return new TargetDefinition(name, alias, allowedInitiators, chap, luns.stream().filter(m -> m.lun() != lun).toList());
    }

    public TargetDefinition withAllowedInitiators(List<String> initiators) {
        return new TargetDefinition(name, alias, initiators, chap, luns);
    }

    public TargetDefinition withChap(ChapSettings settings) {
        return new TargetDefinition(name, alias, allowedInitiators, settings, luns);
    }

    public TargetDefinition withAlias(String newAlias) {
        return new TargetDefinition(name, newAlias, allowedInitiators, chap, luns);
    }
}
