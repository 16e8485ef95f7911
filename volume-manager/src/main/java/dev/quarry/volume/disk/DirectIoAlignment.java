package dev.quarry.volume.disk;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * O_DIRECT needs the memory address, file offset and length of every transfer aligned to the
 * block size. Netty's pooled buffers are not always aligned in memory, so transfers that are not
 * pass through a per-thread aligned bounce buffer.
 *
 * <p>Thread-safe: each disk I/O thread has its own bounce buffer.
 */
final class DirectIoAlignment {

    private static final int BOUNCE_BYTES = 1 << 20;

    private final int alignment;
    private final ThreadLocal<ByteBuffer> bounce;

    DirectIoAlignment(int alignment) {
        this.alignment = alignment;
        this.bounce = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(BOUNCE_BYTES + alignment).alignedSlice(alignment));
    }

    /** Whether {@code buffer} can be handed to the kernel as is for {@code length} bytes. */
    boolean isAligned(ByteBuf buffer, int length) {
        if (!buffer.isDirect() || buffer.nioBufferCount() != 1 || length % alignment != 0) {
            return false;
        }
        return buffer.hasMemoryAddress() && (buffer.memoryAddress() + buffer.readerIndex()) % alignment == 0;
    }

    void readThroughBounce(FileChannel channel, long position, ByteBuf target, int length) throws IOException {
        ByteBuffer aligned = bounce.get();
        int done = 0;
        while (done < length) {
            int piece = Math.min(BOUNCE_BYTES, length - done);
            aligned.clear().limit(piece);
            FileChannels.readFully(channel, aligned, position + done);
            aligned.flip();
            target.writeBytes(aligned);
            done += piece;
        }
    }

    void writeThroughBounce(FileChannel channel, long position, ByteBuf source) throws IOException {
        ByteBuffer aligned = bounce.get();
        int length = source.readableBytes();
        int done = 0;
        while (done < length) {
            int piece = Math.min(BOUNCE_BYTES, length - done);
            aligned.clear().limit(piece);
            source.getBytes(source.readerIndex() + done, aligned);
            aligned.flip();
            FileChannels.writeFully(channel, aligned, position + done);
            done += piece;
        }
    }
}
