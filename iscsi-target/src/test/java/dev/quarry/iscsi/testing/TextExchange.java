package dev.quarry.iscsi.testing;

import dev.quarry.iscsi.pdu.Bhs;
import dev.quarry.iscsi.pdu.TargetPdu;
import dev.quarry.iscsi.pdu.TextRequestPdu;
import dev.quarry.iscsi.pdu.TextResponsePdu;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One full feature phase text exchange (RFC 7143 §11.10): sends the keys, then follows the
 * target's continuation (C bit) with empty requests carrying its Target Transfer Tag, checking
 * every part fits the initiator's MaxRecvDataSegmentLength.
 *
 * <p>Not thread-safe.
 */
final class TextExchange {

    private final TestInitiator initiator;

    TextExchange(TestInitiator initiator) {
        this.initiator = initiator;
    }

    /** Runs the exchange for {@code keys} ({@code key=value} pairs separated by NUL or not terminated). */
    List<Map.Entry<String, String>> run(String keys) {
        String text = keys.endsWith("\0") ? keys : keys + "\0";
        int tag = initiator.nextTag();
        int limit = initiator.declaredMaxRecvDataSegmentLength();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        int transferTag = Bhs.RESERVED_TAG;
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        while (true) {
            initiator.send(new TextRequestPdu(false, true, false, 0, tag, transferTag, initiator.takeCmdSn(),
                    initiator.expStatSn(), Unpooled.wrappedBuffer(data)));
            TargetPdu pdu = initiator.awaitTask(tag);
            if (!(pdu instanceof TextResponsePdu response)) {
                throw new AssertionError("expected a Text Response, got " + pdu);
            }
            try {
                if (response.data().readableBytes() > limit) {
                    throw new AssertionError("Text Response of " + response.data().readableBytes() + " bytes exceeds " + limit);
                }
                byte[] part = new byte[response.data().readableBytes()];
                response.data().getBytes(response.data().readerIndex(), part);
                answer.writeBytes(part);
            } finally {
                response.release();
            }
            if (response.finalPdu() && !response.continueFlag()) {
                break;
            }
            transferTag = response.targetTransferTag();
            data = new byte[0];
        }
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        for (String pair : answer.toString(StandardCharsets.UTF_8).split("\0")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                pairs.add(new AbstractMap.SimpleImmutableEntry<>(pair.substring(0, equals), pair.substring(equals + 1)));
            }
        }
        return pairs;
    }

}
