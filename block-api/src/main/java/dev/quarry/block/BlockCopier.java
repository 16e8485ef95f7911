package dev.quarry.block;

import java.util.concurrent.CompletableFuture;

/**
 * The generic copy offload behind {@link BlockVolume#copyFrom}: reads and writes in pieces of at
 * most {@link #PIECE_BYTES}, one piece in flight, so that a large EXTENDED COPY holds bounded
 * memory.
 */
final class BlockCopier {

    /** Bytes moved per read/write pair. */
    static final int PIECE_BYTES = 1 << 20;

    private BlockCopier() {
    }

    static CompletableFuture<Void> copy(BlockVolume source, long sourceLba, BlockVolume target, long lba, long blocks) {
        if (source.blockSize() != target.blockSize()) {
            return CompletableFuture.failedFuture(new BlockIoException(SenseCode.INVALID_FIELD_IN_CDB,
                    "block sizes differ: " + source.blockSize() + " vs " + target.blockSize()));
        }
        if (!BlockRange.fits(sourceLba, blocks, source.blockCount())) {
            return BlockRange.outOfRange(sourceLba, blocks, source.blockCount());
        }
        if (!BlockRange.fits(lba, blocks, target.blockCount())) {
            return BlockRange.outOfRange(lba, blocks, target.blockCount());
        }
        int pieceBlocks = Math.max(1, PIECE_BYTES / source.blockSize());
        return copyFrom(source, sourceLba, target, lba, blocks, pieceBlocks);
    }

    private static CompletableFuture<Void> copyFrom(BlockVolume source, long sourceLba, BlockVolume target,
                                                    long lba, long remaining, int pieceBlocks) {
        if (remaining == 0) {
            return CompletableFuture.completedFuture(null);
        }
        int n = (int) Math.min(remaining, pieceBlocks);
        return source.read(sourceLba, n)
                .thenCompose(data -> target.write(lba, data, WriteOptions.CACHED))
                .thenCompose(ignored -> copyFrom(source, sourceLba + n, target, lba + n, remaining - n, pieceBlocks));
    }
}
