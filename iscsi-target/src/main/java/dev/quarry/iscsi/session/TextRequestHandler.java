package dev.quarry.iscsi.session;

import dev.quarry.iscsi.login.KeyValue;
import dev.quarry.iscsi.login.NegotiationPolicy;
import dev.quarry.iscsi.login.NegotiationResult;
import dev.quarry.iscsi.login.OperationalNegotiator;
import dev.quarry.iscsi.login.SessionType;
import dev.quarry.iscsi.login.TextAccumulator;
import dev.quarry.iscsi.login.TextCodec;
import dev.quarry.iscsi.login.TextFormatException;
import dev.quarry.iscsi.login.TextKey;
import dev.quarry.iscsi.pdu.Bhs;
import dev.quarry.iscsi.pdu.RejectReason;
import dev.quarry.iscsi.pdu.TextRequestPdu;
import dev.quarry.iscsi.pdu.TextResponsePdu;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Text Requests in full feature phase (RFC 7143 §6.4, §11.10, §11.11): SendTargets (All or one
 * name in a Discovery session, the current target in a Normal session) and renegotiation of the
 * keys that allow it. Requests continued with the C bit are collected (bounded); answers longer
 * than the initiator's MaxRecvDataSegmentLength go out over several Text Responses with the C bit,
 * each solicited by an empty Text Request carrying our Target Transfer Tag.
 *
 * <p>Not thread-safe; confined to the channel event loop.
 */
final class TextRequestHandler {

    private final SessionContext session;
    private final SendTargetsDirectory directory;
    private final NegotiationPolicy policy;
    private final String targetName;
    private final InetSocketAddress localAddress;
    private final TextAccumulator request;
    private int exchangeTag = Bhs.RESERVED_TAG;
    private int continuationTag = Bhs.RESERVED_TAG;
    private boolean finalRequest;
    private byte[] pending;
    private int pendingOffset;
    private Set<String> negotiated = Set.of();

    /**
     * @param targetName the target of a Normal session; {@code null} for Discovery
     */
    TextRequestHandler(SessionContext session, SendTargetsDirectory directory, NegotiationPolicy policy, String targetName,
                       InetSocketAddress localAddress) {
        this.session = session;
        this.directory = directory;
        this.policy = policy;
        this.targetName = targetName;
        this.localAddress = localAddress;
        this.request = new TextAccumulator(session.settings().maxTextLength());
    }

    /** A Text Request in its turn (at once when immediate); takes ownership. */
    void handle(TextRequestPdu pdu) {
        try {
            if (pdu.targetTransferTag() != Bhs.RESERVED_TAG) {
                if (pdu.initiatorTaskTag() != exchangeTag || pdu.targetTransferTag() != continuationTag) {
                    reset();
                    session.out().reject(RejectReason.INVALID_PDU_FIELD, pdu);
                    return;
                }
                if (pending != null) {
                    sendChunk(pdu);
                    return;
                }
            } else {
                reset();
                exchangeTag = pdu.initiatorTaskTag();
            }
            collect(pdu);
        } finally {
            pdu.release();
        }
    }

    private void collect(TextRequestPdu pdu) {
        Map<String, String> keys;
        try {
            request.append(pdu.data());
            if (pdu.continueFlag()) {
                continuationTag = session.nextTargetTransferTag();
                respond(pdu, false, false, continuationTag, Unpooled.EMPTY_BUFFER);
                return;
            }
            keys = new LinkedHashMap<>(TextCodec.decode(request.take()));
        } catch (TextFormatException e) {
            reset();
            session.out().reject(RejectReason.PROTOCOL_ERROR, pdu);
            return;
        }
        pending = TextCodec.encode(answer(keys));
        pendingOffset = 0;
        finalRequest = pdu.finalPdu();
        sendChunk(pdu);
    }

    private List<KeyValue> answer(Map<String, String> keys) {
        List<KeyValue> answers = new ArrayList<>();
        String sendTargets = keys.remove(TextKey.SEND_TARGETS);
        if (sendTargets != null) {
            answers.addAll(sendTargets(sendTargets));
        }
        NegotiationResult result = OperationalNegotiator.negotiate(OperationalNegotiator.Phase.FULL_FEATURE, session.type(),
                keys, session.parameters(), negotiated, policy);
        answers.addAll(result.answers());
        negotiated = result.negotiated();
        session.parameters(result.parameters());
        return answers;
    }

    /** RFC 7143 §13.3: All only in Discovery sessions; empty or the session's name means the current target. */
    private List<KeyValue> sendTargets(String value) {
        List<KeyValue> answers = new ArrayList<>();
        boolean all = TextKey.ALL.equals(value);
        if (session.type() == SessionType.NORMAL && all) {
            answers.add(new KeyValue(TextKey.SEND_TARGETS, TextKey.REJECT));
            return answers;
        }
        String wanted = session.type() == SessionType.NORMAL && value.isEmpty() ? targetName : value;
        for (DiscoveredTarget target : directory.targets(session.initiatorName(), localAddress)) {
            if (all || target.name().equals(wanted)) {
                answers.add(new KeyValue(TextKey.TARGET_NAME, target.name()));
                target.addresses().forEach(address -> answers.add(new KeyValue(TextKey.TARGET_ADDRESS, address)));
            }
        }
        return answers;
    }

    /** Sends the next part of the answer, no longer than the initiator's MaxRecvDataSegmentLength. */
    private void sendChunk(TextRequestPdu pdu) {
        int remaining = pending.length - pendingOffset;
        int size = Math.min(remaining, session.parameters().initiatorMaxRecvDataSegmentLength());
        boolean more = remaining > size;
        boolean done = !more && finalRequest;
        ByteBuf data = session.out().alloc().buffer(size).writeBytes(pending, pendingOffset, size);
        pendingOffset += size;
        continuationTag = done ? Bhs.RESERVED_TAG : session.nextTargetTransferTag();
        if (!more) {
            pending = null;
        }
        respond(pdu, done, more, continuationTag, data);
        if (done) {
            reset();
        }
    }

    private void respond(TextRequestPdu pdu, boolean finalPdu, boolean continueFlag, int targetTransferTag, ByteBuf data) {
        SequenceNumbers numbers = session.numbers();
        session.out().write(new TextResponsePdu(finalPdu, continueFlag, pdu.lun(), pdu.initiatorTaskTag(), targetTransferTag,
                numbers.takeStatSn(), numbers.expCmdSn(), numbers.maxCmdSn(), data));
        session.out().flush();
    }

    /** Forgets the exchange in progress (a new request with the reserved TTT starts over). */
    private void reset() {
        request.reset();
        pending = null;
        pendingOffset = 0;
        exchangeTag = Bhs.RESERVED_TAG;
        continuationTag = Bhs.RESERVED_TAG;
        negotiated = Set.of();
    }
}
