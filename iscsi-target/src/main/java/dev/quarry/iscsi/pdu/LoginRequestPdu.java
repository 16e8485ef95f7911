package dev.quarry.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * Login Request (RFC 7143 §11.12). Login requests are always immediate.
 *
 * <p>Immutable fields; owns {@code data} (the text key=value pairs), so it is reference counted and not
 * thread-safe: ownership passes with each call (see the {@code codec} package rules).
 *
 * @param transit the T bit
 * @param continueFlag the C bit (text continues in the next PDU)
 * @param currentStage CSG, 0..3 as on the wire
 * @param nextStage NSG, 0..3 as on the wire
 * @param isid the 48-bit initiator session id
 * @param tsih the 16-bit target session identifying handle
 * @param cid the 16-bit connection id
 */
public record LoginRequestPdu(boolean transit, boolean continueFlag, int currentStage, int nextStage, int versionMax,
                              int versionMin, long isid, int tsih, int initiatorTaskTag, int cid, int cmdSn,
                              int expStatSn, ByteBuf data) implements InitiatorPdu, DataPdu {

    public LoginRequestPdu {
        Objects.requireNonNull(data, "data");
    }

    @Override
    public Opcode opcode() {
        return Opcode.LOGIN_REQUEST;
    }

    @Override
    public LoginRequestPdu replace(ByteBuf content) {
        return new LoginRequestPdu(transit, continueFlag, currentStage, nextStage, versionMax, versionMin, isid, tsih,
                initiatorTaskTag, cid, cmdSn, expStatSn, content);
    }
}
