package dev.quarry.volume.segment;

import dev.quarry.volume.chunk.ChunkFormat;
import dev.quarry.volume.disk.BackendDisk;
import io.netty.buffer.ByteBuf;

/**
 * Walks the chunk records of a segment as they lie on disk (they are self-describing), in
 * windows of 1 MiB: a record is recognised by its header; between records (padding at the end of
 * an append, or leftovers of the segment's earlier life) the walk steps 16 bytes at a time. Used
 * by the cleaner to find live chunks and by fsck to compare headers with chunk records.
 *
 * <p>Thread-safe (stateless). Blocks on disk reads: call from the cleaner or fsck thread.
 */
public final class SegmentScanner {

    private static final int WINDOW = 1 << 20;

    /** Receives each record found; {@code buf} is borrowed and valid only during the call. */
    @FunctionalInterface
    public interface RecordVisitor {
        /**
         * @param offset the record's byte offset in the segment
         * @param header its header
         * @param intact whether its CRC32C verifies
         * @param buf the window holding it
         * @param at the record's index in {@code buf}
         */
        void visit(int offset, ChunkFormat.Header header, boolean intact, ByteBuf buf, int at);
    }

    private SegmentScanner() {
    }

    /** Scans the first {@code length} bytes of a segment. */
    public static void scan(BackendDisk disk, int segment, int length, RecordVisitor visitor) {
        int position = 0;
        while (position < length) {
            int window = Math.min(WINDOW, length - position);
            ByteBuf buf = disk.read(segment, position, window).join();
            try {
                position = scanWindow(buf, position, window, position + window >= length, visitor);
            } finally {
                buf.release();
            }
        }
    }

    /** Visits the records of one window; returns where the next window starts. */
    private static int scanWindow(ByteBuf buf, int base, int window, boolean last, RecordVisitor visitor) {
        int o = 0;
        int start = buf.readerIndex();
        while (o + ChunkFormat.HEADER_BYTES <= window) {
            ChunkFormat.Header header = ChunkFormat.header(buf, start + o);
            if (header == null) {
                o += ChunkFormat.ALIGNMENT;
                continue;
            }
            int length = header.recordLength();
            if (o + length > window) {
                if (last || o == 0) {
                    o += ChunkFormat.ALIGNMENT;
                    continue;
                }
                return base + o;
            }
            visitor.visit(base + o, header, ChunkFormat.verify(buf, start + o, header), buf, start + o);
            o += length;
        }
        return base + window;
    }
}
