package dev.quarry.block;

/**
 * Something a volume wants every host that uses it to hear, as a unit attention (and an
 * asynchronous event where the transport offers one).
 */
public enum VolumeEvent {
    /** The capacity changed (2A/09 CAPACITY DATA HAS CHANGED). */
    CAPACITY_CHANGED,
    /** The pool crossed its soft threshold (38/07 THIN PROVISIONING SOFT THRESHOLD REACHED). */
    SOFT_THRESHOLD_REACHED
}
