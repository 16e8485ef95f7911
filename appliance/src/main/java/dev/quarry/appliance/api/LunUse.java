package dev.quarry.appliance.api;

import dev.quarry.appliance.target.LunMapping;
import dev.quarry.appliance.target.TargetDefinition;
import dev.quarry.appliance.target.TargetManager;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Where an export is mapped: the first LUN of any target whose volume (or {@code vol@snap}) the
 * predicate accepts, for the 409 answers that refuse to change what hosts see.
 *
 * <p>Immutable and thread-safe.
 *
 * @param target the target's name
 * @param lun the LUN number
 * @param exported what the LUN exports
 */
record LunUse(String target, int lun, String exported) {

    static Optional<LunUse> find(TargetManager targets, Predicate<String> exported) {
        for (TargetDefinition target : targets.targets()) {
            for (LunMapping mapping : target.luns()) {
                if (exported.test(mapping.volume())) {
                    return Optional.of(new LunUse(target.name(), mapping.lun(), mapping.volume()));
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "LUN " + lun + " of target " + target;
    }
}
