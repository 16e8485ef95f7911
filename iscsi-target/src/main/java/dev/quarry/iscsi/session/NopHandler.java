package dev.quarry.iscsi.session;

import dev.quarry.iscsi.pdu.Bhs;
import dev.quarry.iscsi.pdu.NopInPdu;
import dev.quarry.iscsi.pdu.NopOutPdu;
import dev.quarry.iscsi.pdu.RejectReason;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NOP-Out and NOP-In both ways (RFC 7143 §11.18, §11.19): answers the initiator's pings with its
 * ping data, pings an idle initiator, and drops the connection when a ping stays unanswered.
 *
 * <p>Not thread-safe; confined to the channel event loop.
 */
final class NopHandler {

    private static final Logger LOG = LoggerFactory.getLogger(NopHandler.class);

    private final SessionContext session;
    private final Runnable dropConnection;
    private int pingTag = Bhs.RESERVED_TAG;
    private ScheduledFuture<?> pingTimeout;

    NopHandler(SessionContext session, Runnable dropConnection) {
        this.session = session;
        this.dropConnection = dropConnection;
    }

    /** A NOP-Out in its turn (at once when immediate); takes ownership. */
    void nopOut(NopOutPdu pdu) {
        try {
            if (pdu.initiatorTaskTag() != Bhs.RESERVED_TAG) {
                if (pdu.targetTransferTag() != Bhs.RESERVED_TAG) {
                    session.out().reject(RejectReason.INVALID_PDU_FIELD, pdu);
                    return;
                }
                answer(pdu);
            } else if (pdu.targetTransferTag() != Bhs.RESERVED_TAG) {
                if (pdu.targetTransferTag() != pingTag) {
                    session.out().reject(RejectReason.INVALID_PDU_FIELD, pdu);
                    return;
                }
                pingAnswered();
            }
        } finally {
            pdu.release();
        }
    }

    private void answer(NopOutPdu pdu) {
        int echo = Math.min(pdu.data().readableBytes(), session.parameters().initiatorMaxRecvDataSegmentLength());
        SequenceNumbers numbers = session.numbers();
        session.out().write(new NopInPdu(pdu.lun(), pdu.initiatorTaskTag(), Bhs.RESERVED_TAG, numbers.takeStatSn(),
                numbers.expCmdSn(), numbers.maxCmdSn(), echo == 0 ? Unpooled.EMPTY_BUFFER : pdu.data().retainedSlice(
                        pdu.data().readerIndex(), echo)));
        session.out().flush();
    }

    /** The initiator was silent for the NOP interval: ping it, unless a ping is already out. */
    void idle() {
        Duration timeout = session.settings().nopTimeout();
        if (pingTag != Bhs.RESERVED_TAG) {
            return;
        }
        pingTag = session.nextTargetTransferTag();
        SequenceNumbers numbers = session.numbers();
        session.out().write(new NopInPdu(0L, Bhs.RESERVED_TAG, pingTag, numbers.peekStatSn(), numbers.expCmdSn(),
                numbers.maxCmdSn(), Unpooled.EMPTY_BUFFER));
        session.out().flush();
        pingTimeout = session.out().executor().schedule(() -> {
            if (pingTag != Bhs.RESERVED_TAG) {
                LOG.warn("initiator {} did not answer a NOP-In within {}; dropping the connection", session.initiatorName(),
                        timeout);
                dropConnection.run();
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void pingAnswered() {
        pingTag = Bhs.RESERVED_TAG;
        if (pingTimeout != null) {
            pingTimeout.cancel(false);
            pingTimeout = null;
        }
    }

    void close() {
        pingAnswered();
    }
}
