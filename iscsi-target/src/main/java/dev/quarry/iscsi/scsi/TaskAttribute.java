package dev.quarry.iscsi.scsi;

/**
 * The task attribute of a SCSI command (SAM-5 §8.6), with its iSCSI ATTR field code
 * (RFC 7143 §11.3.1). Untagged commands are treated as SIMPLE.
 */
public enum TaskAttribute {
    SIMPLE(1),
    ORDERED(2),
    HEAD_OF_QUEUE(3),
    ACA(4);

    private final int code;

    TaskAttribute(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The attribute for an iSCSI ATTR field; 0 (untagged) is SIMPLE, 5..7 are reserved. */
    public static TaskAttribute ofIscsiCode(int code) {
        return switch (code) {
            case 0, 1 -> SIMPLE;
            case 2 -> ORDERED;
            case 3 -> HEAD_OF_QUEUE;
            case 4 -> ACA;
            default -> throw new IllegalArgumentException("reserved task attribute " + code);
        };
    }
}
