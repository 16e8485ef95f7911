package dev.quarry.iscsi.scsi;

import java.util.List;
import java.util.SortedSet;

/**
 * What a logical unit may ask of the target a command came through: the other units reachable
 * through that target (EXTENDED COPY may only name those, RELIABILITY case 45) and its portal
 * groups (REPORT TARGET PORT GROUPS).
 *
 * <p>Implementations are thread-safe.
 */
interface TargetView {

    /** The logical unit mapped in this target whose NAA designator is {@code naa}, or {@code null}. */
    LogicalUnit logicalUnitByNaa(byte[] naa);

    /** The target portal group tags of this target, ascending. */
    SortedSet<Integer> portalGroupTags();

    /** The LUNs mapped in this target, ascending. */
    List<Integer> mappedLuns();

    /** REPORT LUNS reached {@code nexus}: its REPORTED LUNS DATA HAS CHANGED attentions are cleared on every unit. */
    void reportedLunsDelivered(ItNexus nexus);
}
