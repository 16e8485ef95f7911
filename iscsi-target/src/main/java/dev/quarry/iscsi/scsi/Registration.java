package dev.quarry.iscsi.scsi;

import java.util.Objects;

/**
 * A registered reservation key (SPC-4 §5.13.7) and the I_T nexuses it was registered for: an
 * initiator port (the iSCSI name plus ISID, or every ISID of the name when {@code isid} is
 * {@link #ANY_ISID}) through one target port, or through every target port when
 * {@code targetPortName} is {@code null} (ALL_TG_PT).
 *
 * <p>Immutable and thread-safe.
 *
 * @param initiatorName the iSCSI initiator name
 * @param isid the 48-bit ISID, or {@link #ANY_ISID}
 * @param targetPortName the SCSI target port name ({@code name,t,0xTPGT}), or {@code null} for all
 * @param relativeTargetPortId the relative target port identifier of that port (0 for all)
 * @param key the reservation key, never 0
 */
public record Registration(String initiatorName, long isid, String targetPortName, int relativeTargetPortId, long key) {

    /** An ISID wildcard: the registration covers every initiator port of the name. */
    public static final long ANY_ISID = -1;

    public Registration {
        Objects.requireNonNull(initiatorName, "initiatorName");
        if (key == 0) {
            throw new IllegalArgumentException("a registration has a non-zero key");
        }
    }

    /** The registration for {@code nexus}, through its own target port or ({@code allTargetPorts}) every port. */
    static Registration of(ItNexus nexus, boolean allTargetPorts, long key) {
        return new Registration(nexus.initiatorName(), nexus.isid(), allTargetPorts ? null : nexus.targetPortName(),
                allTargetPorts ? 0 : nexus.relativeTargetPortId(), key);
    }

    /** Whether this registration covers {@code nexus}. */
    public boolean matches(ItNexus nexus) {
        return initiatorName.equalsIgnoreCase(nexus.initiatorName())
                && (isid == ANY_ISID || isid == nexus.isid())
                && (targetPortName == null || targetPortName.equalsIgnoreCase(nexus.targetPortName()));
    }

    /** Whether {@code other} was registered for the same I_T nexuses, whatever its key. */
    public boolean sameNexusAs(Registration other) {
        return initiatorName.equalsIgnoreCase(other.initiatorName) && isid == other.isid
                && Objects.equals(targetPortName, other.targetPortName);
    }

    /** Whether this registration covers every target port (ALL_TG_PT). */
    public boolean allTargetPorts() {
        return targetPortName == null;
    }

    Registration withKey(long newKey) {
        return new Registration(initiatorName, isid, targetPortName, relativeTargetPortId, newKey);
    }
}
