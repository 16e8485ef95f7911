package dev.quarry.iscsi.login;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Collects a text that spans several PDUs with the C bit (RFC 7143 §6.1, §11.10.2, §11.12.2),
 * bounded so that a peer cannot make the target buffer an unbounded text.
 *
 * <p>Not thread-safe; confined to the channel event loop.
 */
public final class TextAccumulator {

    private final int maxLength;
    private byte[] buffer = new byte[0];
    private int length;

    public TextAccumulator(int maxLength) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength must be positive: " + maxLength);
        }
        this.maxLength = maxLength;
    }

    /**
     * Appends the readable bytes of {@code segment} (borrowed).
     *
     * @throws TextFormatException when the text would exceed the bound
     */
    public void append(ByteBuf segment) throws TextFormatException {
        int more = segment.readableBytes();
        if ((long) length + more > maxLength) {
            reset();
            throw new TextFormatException("text longer than " + maxLength + " bytes");
        }
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.min(maxLength, Math.max(length + more, buffer.length * 2)));
        }
        segment.getBytes(segment.readerIndex(), buffer, length, more);
        length += more;
    }

    /** The whole text collected so far; the accumulator is empty afterwards. */
    public byte[] take() {
        byte[] text = Arrays.copyOf(buffer, length);
        reset();
        return text;
    }

    /** Whether a continued text is in progress. */
    public boolean isEmpty() {
        return length == 0;
    }

    /** Drops what was collected. */
    public void reset() {
        buffer = new byte[0];
        length = 0;
    }
}
