package dev.quarry.volume.thin;

import dev.quarry.block.SanitizeMethod;
import dev.quarry.block.SanitizeProgress;
import dev.quarry.block.SanitizeRequest;
import dev.quarry.volume.commit.Mutation;
import dev.quarry.volume.map.MapValue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * SANITIZE of one thin volume, window by window of {@link #WINDOW_BLOCKS} blocks: the window's
 * mapped chunks are noted, the window is remapped (every block to one chunk holding the final
 * pattern, stored once, or unmapped when the volume must read zeroes), the change is committed,
 * and then {@link ChunkScrubber} overwrites, pass by pass, the records of the noted chunks that
 * nothing references any more. Data the volume had already released before the sanitize (dead
 * records waiting for the cleaner) is not found this way; see docs/chunk-store.md.
 *
 * <p>Not thread-safe: one use, under the extent lock of the whole volume, from a volume thread.
 */
final class VolumeSanitizer {

    /** Blocks remapped, committed and scrubbed per step (256 MiB of data; bounds the chunks held). */
    static final long WINDOW_BLOCKS = 1L << 16;
    private static final int OPS_PER_MUTATION = Blocks.MUTATION_BLOCKS * 16;

    private final VolumeIo io;
    private final VolumeContext context;
    private final int volumeId;
    private final long blocks;
    private final SanitizeProgress progress;
    private final List<byte[]> passes = new ArrayList<>();
    private final byte[] finalBlock;
    private final boolean zero;
    private MapValue patternChunk;

    VolumeSanitizer(VolumeIo io, VolumeContext context, int volumeId, long blocks, SanitizeRequest request,
                    SanitizeProgress progress) {
        this.io = io;
        this.context = context;
        this.volumeId = volumeId;
        this.blocks = blocks;
        this.progress = progress;
        if (request.method() == SanitizeMethod.OVERWRITE) {
            for (int pass = 0; pass < request.passes(); pass++) {
                passes.add(request.passPattern(pass));
            }
        } else {
            passes.add(new byte[Blocks.LBA_BYTES]);
        }
        this.finalBlock = new byte[Blocks.BLOCK_BYTES];
        byte[] lba = request.finalBlock(Blocks.LBA_BYTES);
        for (int i = 0; i < Blocks.LBAS_PER_BLOCK; i++) {
            System.arraycopy(lba, 0, finalBlock, i * Blocks.LBA_BYTES, Blocks.LBA_BYTES);
        }
        this.zero = Blocks.isZero(Unpooled.wrappedBuffer(finalBlock), 0);
    }

    /** Runs every window; completes once the new contents and the overwrites are durable. */
    CompletableFuture<Void> run() {
        return context.scrubber().exclusively(scrubs -> window(0, scrubs), context.executor())
                .thenCompose(ignored -> context.committer().flush());
    }

    private CompletableFuture<Void> window(long from, ChunkScrubber.Scrubs scrubs) {
        if (from >= blocks) {
            return CompletableFuture.completedFuture(null);
        }
        long to = Math.min(blocks, from + WINDOW_BLOCKS);
        List<MapValue> chunks = new ArrayList<>();
        context.blockMap().forEachMapped(volumeId, from, to, (block, value) -> chunks.add(value));
        return remap(from, to)
                .thenCompose(ignored -> context.committer().flush())
                .thenCompose(ignored -> scrubs.scrub(chunks, passes))
                .thenComposeAsync(scrubbed -> {
                    progress.progressed(to, blocks);
                    return window(to, scrubs);
                }, context.executor());
    }

    /** Points [from, to) at the final contents: unmapped for zeroes, else the one pattern chunk. */
    private CompletableFuture<Void> remap(long from, long to) {
        if (zero) {
            return io.unmapBlocks(from, to);
        }
        if (patternChunk != null) {
            return map(from, to);
        }
        ByteBuf block = Unpooled.wrappedBuffer(finalBlock);
        return io.writeBlocks(from, block, false).thenCompose(ignored -> {
            patternChunk = context.blockMap().lookup(volumeId, from);
            return map(from + 1, to);
        });
    }

    private CompletableFuture<Void> map(long from, long to) {
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (long at = from; at < to; at += OPS_PER_MUTATION) {
            Mutation m = io.mutation(false);
            for (long block = at; block < Math.min(to, at + OPS_PER_MUTATION); block++) {
                m.map(block, patternChunk);
            }
            CompletableFuture<Void> committed = context.committer().submit(m);
            if (context.committer().backlogged()) {
                acks.add(committed);
            }
        }
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
    }
}
