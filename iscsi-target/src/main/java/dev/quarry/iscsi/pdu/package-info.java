/**
 * The iSCSI PDUs of RFC 7143 §11 as immutable records: {@link dev.quarry.iscsi.pdu.Opcode}, the
 * BHS offsets in {@link dev.quarry.iscsi.pdu.Bhs}, the sealed {@link dev.quarry.iscsi.pdu.InitiatorPdu}
 * and {@link dev.quarry.iscsi.pdu.TargetPdu} families, and the wire codes (Reject reasons, login
 * statuses, task management functions). Wire numbers are kept as raw {@code int}s exactly as
 * carried (32-bit sequence numbers and tags are unsigned on the wire).
 */
package dev.quarry.iscsi.pdu;
