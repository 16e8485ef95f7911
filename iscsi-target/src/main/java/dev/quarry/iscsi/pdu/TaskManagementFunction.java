package dev.quarry.iscsi.pdu;

/**
 * Function codes of the Task Management Function Request (RFC 7143 §11.5.1, RFC 7144 §4.1).
 *
 * <p>Immutable and thread-safe.
 */
public enum TaskManagementFunction {
    ABORT_TASK(1),
    ABORT_TASK_SET(2),
    CLEAR_ACA(3),
    CLEAR_TASK_SET(4),
    LOGICAL_UNIT_RESET(5),
    TARGET_WARM_RESET(6),
    TARGET_COLD_RESET(7),
    TASK_REASSIGN(8),
    QUERY_TASK(9),
    QUERY_TASK_SET(10),
    I_T_NEXUS_RESET(11),
    QUERY_ASYNC_EVENT(12);

    private static final TaskManagementFunction[] BY_CODE = new TaskManagementFunction[13];

    static {
        for (TaskManagementFunction f : values()) {
            BY_CODE[f.code] = f;
        }
    }

    private final int code;

    TaskManagementFunction(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /**
     * The function for {@code code}.
     *
     * @throws IscsiProtocolException with {@link RejectReason#INVALID_PDU_FIELD} for a reserved code
     */
    public static TaskManagementFunction of(int code) {
        TaskManagementFunction f = code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        if (f == null) {
            throw new IscsiProtocolException(RejectReason.INVALID_PDU_FIELD, "reserved task management function " + code);
        }
        return f;
    }
}
