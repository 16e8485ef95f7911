package dev.quarry.volume.thin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.util.concurrent.CompletableFuture;

/**
 * Writes one 4 KiB block pattern over an LBA range (WRITE SAME, and UNMAP with a zero pattern):
 * partial blocks at either end by read-modify-write, whole blocks by unmapping them when the
 * pattern is all zero (it reads back identically from unmapped blocks) or else by writing them in
 * pieces without copying the pattern.
 *
 * <p>Not thread-safe: one use, under the extent lock of the range, on a volume thread.
 */
final class RangeWriter {

    private final VolumeIo io;
    private final long lba;
    private final long lbas;
    private final ByteBuf pattern;
    private final boolean durable;
    private final boolean zero;

    /** {@code pattern}: one 4 KiB block, borrowed for the life of the returned future. */
    RangeWriter(VolumeIo io, long lba, long lbas, ByteBuf pattern, boolean durable) {
        this.io = io;
        this.lba = lba;
        this.lbas = lbas;
        this.pattern = pattern;
        this.durable = durable;
        this.zero = Blocks.isZero(pattern, pattern.readerIndex());
    }

    CompletableFuture<Void> run() {
        long end = lba + lbas;
        long fullFrom = (lba + Blocks.LBAS_PER_BLOCK - 1) / Blocks.LBAS_PER_BLOCK;
        long fullTo = end / Blocks.LBAS_PER_BLOCK;
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        long head = Blocks.blockOf(lba);
        if (lba % Blocks.LBAS_PER_BLOCK != 0) {
            int from = (int) (lba % Blocks.LBAS_PER_BLOCK);
            int to = (int) Math.min(Blocks.LBAS_PER_BLOCK, from + lbas);
            chain = chain.thenCompose(ignored -> patch(head, from, to));
        }
        long tail = Blocks.blockOf(end);
        if (end % Blocks.LBAS_PER_BLOCK != 0 && (tail != head || lba % Blocks.LBAS_PER_BLOCK == 0)) {
            int to = (int) (end % Blocks.LBAS_PER_BLOCK);
            chain = chain.thenCompose(ignored -> patch(tail, 0, to));
        }
        if (fullFrom >= fullTo) {
            return chain;
        }
        if (zero) {
            return chain.thenCompose(ignored -> io.unmapBlocks(fullFrom, fullTo));
        }
        return chain.thenCompose(ignored -> writeWhole(fullFrom, fullTo));
    }

    /** Read-modify-write of LBAs [from, to) within one block. */
    private CompletableFuture<Void> patch(long block, int from, int to) {
        return io.readBlocks(block, 1).thenCompose(buf -> {
            try {
                int at = from * Blocks.LBA_BYTES;
                buf.setBytes(buf.readerIndex() + at, pattern, pattern.readerIndex() + at, (to - from) * Blocks.LBA_BYTES);
                return io.writeBlocks(block, buf, durable);
            } finally {
                buf.release();
            }
        });
    }

    private CompletableFuture<Void> writeWhole(long from, long to) {
        if (from >= to) {
            return CompletableFuture.completedFuture(null);
        }
        int n = (int) Math.min(Blocks.MUTATION_BLOCKS, to - from);
        CompositeByteBuf piece = ByteBufAllocator.DEFAULT.compositeDirectBuffer(n);
        for (int i = 0; i < n; i++) {
            piece.addComponent(true, pattern.retainedDuplicate());
        }
        CompletableFuture<Void> written;
        try {
            written = io.writeBlocks(from, piece, durable);
        } finally {
            piece.release();
        }
        return written.thenCompose(ignored -> writeWhole(from + n, to));
    }
}
