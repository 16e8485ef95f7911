package dev.quarry.iscsi.scsi;

import java.util.Locale;
import java.util.Objects;

/**
 * An I_T nexus (SAM-5 §4.7): one initiator port talking to one target port. For iSCSI the
 * initiator port is the initiator name plus the ISID and the target port is the target name plus
 * the target portal group tag (RFC 7143 §4.4.1). Reservations, unit attentions and task sets are
 * kept per nexus.
 *
 * <p>Immutable and thread-safe.
 *
 * @param initiatorName the iSCSI initiator name (iqn./eui./naa.)
 * @param isid the 48-bit initiator session identifier
 * @param targetName the iSCSI target name
 * @param targetPortalGroupTag the portal group the session logged in through (1..65535)
 */
public record ItNexus(String initiatorName, long isid, String targetName, int targetPortalGroupTag) {

    public ItNexus {
        Objects.requireNonNull(initiatorName, "initiatorName");
        Objects.requireNonNull(targetName, "targetName");
        if ((isid & ~0xFFFF_FFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("isid must fit 48 bits: " + Long.toHexString(isid));
        }
        if (targetPortalGroupTag < 0 || targetPortalGroupTag > 0xFFFF) {
            throw new IllegalArgumentException("targetPortalGroupTag must fit 16 bits: " + targetPortalGroupTag);
        }
    }

    /** The SCSI initiator port name, {@code <name>,i,0x<isid>} (RFC 7143 §10.1.1). */
    public String initiatorPortName() {
        return initiatorName + ",i,0x" + String.format(Locale.ROOT, "%012x", isid);
    }

    /** The SCSI target port name, {@code <name>,t,0x<tpgt>}. */
    public String targetPortName() {
        return targetName + ",t,0x" + String.format(Locale.ROOT, "%04x", targetPortalGroupTag);
    }

    /** The relative target port identifier reported in VPD page 83 and REPORT TARGET PORT GROUPS. */
    public int relativeTargetPortId() {
        return targetPortalGroupTag;
    }
}
