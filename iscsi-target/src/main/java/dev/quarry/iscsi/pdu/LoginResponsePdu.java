package dev.quarry.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * Login Response (RFC 7143 §11.13).
 *
 * <p>Immutable fields; owns {@code data} (the text key=value pairs), so it is reference counted and not
 * thread-safe: ownership passes with each call (see the {@code codec} package rules).
 */
public record LoginResponsePdu(boolean transit, boolean continueFlag, int currentStage, int nextStage, int versionMax,
                               int versionActive, long isid, int tsih, int initiatorTaskTag, int statSn, int expCmdSn,
                               int maxCmdSn, int statusClass, int statusDetail, ByteBuf data)
        implements TargetPdu, DataPdu {

    public LoginResponsePdu {
        Objects.requireNonNull(data, "data");
    }

    @Override
    public Opcode opcode() {
        return Opcode.LOGIN_RESPONSE;
    }

    /** Status-Class and Status-Detail as one number, {@code 0x0201} style. */
    public int status() {
        return statusClass << 8 | statusDetail;
    }

    @Override
    public LoginResponsePdu replace(ByteBuf content) {
        return new LoginResponsePdu(transit, continueFlag, currentStage, nextStage, versionMax, versionActive, isid, tsih,
                initiatorTaskTag, statSn, expCmdSn, maxCmdSn, statusClass, statusDetail, content);
    }
}
