package dev.quarry.block;

import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The sanitize every volume can perform: pass after pass, WRITE SAME of the pass's block over the
 * whole volume in pieces of {@link #PIECE_BLOCKS}, each pass flushed before the next starts (on a
 * device written in place, each pass then reaches the medium). One piece is in flight at a time,
 * so memory stays bounded and progress moves piece by piece.
 *
 * <p>Thread-safe (stateless).
 */
public final class VolumeOverwriter {

    /** Blocks handed to {@link BlockVolume#writeSame} per call. */
    public static final long PIECE_BLOCKS = 1L << 16;

    private VolumeOverwriter() {
    }

    /** Runs the passes of an overwrite request (or any request's {@code finalBlock} once). */
    public static CompletableFuture<Void> overwrite(BlockVolume volume, SanitizeRequest request, SanitizeProgress progress) {
        if (request.method() != SanitizeMethod.OVERWRITE) {
            return overwrite(volume, List.of(request.finalBlock(volume.blockSize())), progress);
        }
        byte[][] blocks = new byte[request.passes()][];
        for (int pass = 0; pass < blocks.length; pass++) {
            blocks[pass] = request.passPattern(pass);
        }
        return overwrite(volume, List.of(blocks), progress);
    }

    /** Writes each block of {@code passes} (one logical block each) over the whole volume, in order. */
    public static CompletableFuture<Void> overwrite(BlockVolume volume, List<byte[]> passes, SanitizeProgress progress) {
        for (byte[] block : passes) {
            if (block.length != volume.blockSize()) {
                return CompletableFuture.failedFuture(new BlockIoException(SenseCode.INVALID_FIELD_IN_CDB,
                        "overwrite pattern of " + block.length + " bytes, block size " + volume.blockSize()));
            }
        }
        long blocks = volume.blockCount();
        long total = blocks * passes.size();
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int pass = 0; pass < passes.size(); pass++) {
            byte[] block = passes.get(pass);
            long base = pass * blocks;
            chain = chain.thenCompose(ignored -> pass(volume, block, 0, blocks, base, total, progress))
                    .thenCompose(ignored -> volume.flush());
        }
        return chain;
    }

    private static CompletableFuture<Void> pass(BlockVolume volume, byte[] block, long lba, long blocks, long base,
                                                long total, SanitizeProgress progress) {
        if (lba >= blocks) {
            return CompletableFuture.completedFuture(null);
        }
        long n = Math.min(PIECE_BLOCKS, blocks - lba);
        return volume.writeSame(lba, n, Unpooled.wrappedBuffer(block), false, WriteOptions.CACHED)
                .thenCompose(ignored -> {
                    progress.progressed(base + lba + n, total);
                    return pass(volume, block, lba + n, blocks, base, total, progress);
                });
    }
}
