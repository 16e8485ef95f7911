package dev.quarry.iscsi.login;

/**
 * Text keys and constant values spelled exactly as in RFC 7143 §6 and §13 (and RFC 7144 §5,
 * RFC 7145 §6 for the keys peers send).
 *
 * <p>Constants only.
 */
public final class TextKey {

    public static final String HEADER_DIGEST = "HeaderDigest";
    public static final String DATA_DIGEST = "DataDigest";
    public static final String MAX_CONNECTIONS = "MaxConnections";
    public static final String SEND_TARGETS = "SendTargets";
    public static final String TARGET_NAME = "TargetName";
    public static final String INITIATOR_NAME = "InitiatorName";
    public static final String TARGET_ALIAS = "TargetAlias";
    public static final String INITIATOR_ALIAS = "InitiatorAlias";
    public static final String TARGET_ADDRESS = "TargetAddress";
    public static final String TARGET_PORTAL_GROUP_TAG = "TargetPortalGroupTag";
    public static final String INITIAL_R2T = "InitialR2T";
    public static final String IMMEDIATE_DATA = "ImmediateData";
    public static final String MAX_RECV_DATA_SEGMENT_LENGTH = "MaxRecvDataSegmentLength";
    public static final String MAX_BURST_LENGTH = "MaxBurstLength";
    public static final String FIRST_BURST_LENGTH = "FirstBurstLength";
    public static final String DEFAULT_TIME_2_WAIT = "DefaultTime2Wait";
    public static final String DEFAULT_TIME_2_RETAIN = "DefaultTime2Retain";
    public static final String MAX_OUTSTANDING_R2T = "MaxOutstandingR2T";
    public static final String DATA_PDU_IN_ORDER = "DataPDUInOrder";
    public static final String DATA_SEQUENCE_IN_ORDER = "DataSequenceInOrder";
    public static final String ERROR_RECOVERY_LEVEL = "ErrorRecoveryLevel";
    public static final String SESSION_TYPE = "SessionType";
    public static final String AUTH_METHOD = "AuthMethod";
    public static final String CHAP_A = "CHAP_A";
    public static final String CHAP_I = "CHAP_I";
    public static final String CHAP_C = "CHAP_C";
    public static final String CHAP_N = "CHAP_N";
    public static final String CHAP_R = "CHAP_R";
    /** Obsoleted by RFC 7143 §13.26 (markers). */
    public static final String IF_MARKER = "IFMarker";
    public static final String OF_MARKER = "OFMarker";
    public static final String IF_MARK_INT = "IFMarkInt";
    public static final String OF_MARK_INT = "OFMarkInt";
    /** RFC 7144 §5. */
    public static final String TASK_REPORTING = "TaskReporting";
    public static final String ISCSI_PROTOCOL_LEVEL = "iSCSIProtocolLevel";
    /** RFC 7145 §6 (iSER); irrelevant on TCP. */
    public static final String RDMA_EXTENSIONS = "RDMAExtensions";
    public static final String INITIATOR_RECV_DATA_SEGMENT_LENGTH = "InitiatorRecvDataSegmentLength";
    public static final String TARGET_RECV_DATA_SEGMENT_LENGTH = "TargetRecvDataSegmentLength";

    public static final String YES = "Yes";
    public static final String NO = "No";
    public static final String NONE = "None";
    public static final String CRC32C = "CRC32C";
    public static final String CHAP = "CHAP";
    public static final String ALL = "All";
    public static final String NORMAL = "Normal";
    public static final String DISCOVERY = "Discovery";
    /** Answer: the value offered is not acceptable (RFC 7143 §6.2). */
    public static final String REJECT = "Reject";
    /** Answer: the key does not matter in this context (RFC 7143 §6.2). */
    public static final String IRRELEVANT = "Irrelevant";
    /** Answer: the key is not known (RFC 7143 §6.2). */
    public static final String NOT_UNDERSTOOD = "NotUnderstood";

    private TextKey() {
    }
}
