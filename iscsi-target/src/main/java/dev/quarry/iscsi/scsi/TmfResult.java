package dev.quarry.iscsi.scsi;

/** The answer to a task management function, with its iSCSI Response code (RFC 7143 §11.6.1). */
public enum TmfResult {
    FUNCTION_COMPLETE(0),
    TASK_DOES_NOT_EXIST(1),
    LUN_DOES_NOT_EXIST(2),
    TASK_STILL_ALLEGIANT(3),
    REASSIGNMENT_NOT_SUPPORTED(4),
    FUNCTION_NOT_SUPPORTED(5),
    AUTHORIZATION_FAILED(6),
    FUNCTION_REJECTED(255);

    private final int code;

    TmfResult(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
