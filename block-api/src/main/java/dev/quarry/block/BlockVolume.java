package dev.quarry.block;

import io.netty.buffer.ByteBuf;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A virtual disk as the SCSI layer exports it to hosts: a {@link BlockDevice} plus atomic
 * read-modify-write (COMPARE AND WRITE, ORWRITE), WRITE SAME, copy offload and provisioning
 * status.
 *
 * <p>Ordering: operations that overlap are applied in the order their calls were made, and an
 * atomic {@link #modify} never interleaves with another write to the same blocks.
 *
 * <p>Thread-safe; non-blocking, like {@link BlockDevice}.
 */
public interface BlockVolume extends BlockDevice {

    /** log2(physical block / logical block): 3 for 4 KiB physical blocks under 512-byte LBAs. */
    default int physicalBlockExponent() {
        return 0;
    }

    /** Whether writes are refused (the volume is a snapshot, or exported read-only). */
    boolean readOnly();

    /** Whether completed writes may sit in a volatile cache until {@link #flush()} (the truth behind WCE). */
    boolean volatileWriteCache();

    /** Thin-provisioning capabilities, for READ CAPACITY(16) and VPD pages B0/B2. */
    Provisioning provisioning();

    /** Limits of {@link WriteOptions#atomic() atomic} writes; {@link AtomicWriteLimits#NONE} when not offered. */
    default AtomicWriteLimits atomicWriteLimits() {
        return AtomicWriteLimits.NONE;
    }

    /**
     * Atomically replaces {@code blocks} blocks at {@code lba} with what {@code modifier} makes of
     * their current contents: no other write to those blocks lands between the read and the
     * write. The modifier may fail the operation (for example with
     * {@link BlockIoException#miscompare(long)}), in which case nothing is written.
     */
    CompletableFuture<Void> modify(long lba, int blocks, BlockModifier modifier, WriteOptions options);

    /**
     * Writes {@code pattern}, exactly one block, to each of {@code blocks} blocks from {@code lba};
     * with {@code unmap} the volume may deallocate instead when the pattern reads back identically
     * from deallocated blocks. Takes ownership of {@code pattern}.
     */
    CompletableFuture<Void> writeSame(long lba, long blocks, ByteBuf pattern, boolean unmap, WriteOptions options);

    /**
     * Copies {@code blocks} blocks from {@code source} at {@code sourceLba} to this volume at
     * {@code lba} (EXTENDED COPY). Volumes that share storage with {@code source} share chunks
     * instead of moving bytes; the default reads and writes in bounded pieces.
     */
    default CompletableFuture<Void> copyFrom(BlockVolume source, long sourceLba, long lba, long blocks) {
        return BlockCopier.copy(source, sourceLba, this, lba, blocks);
    }

    /**
     * The provisioning state of the blocks from {@code lba} on, as contiguous extents of equal
     * state, covering at least the block at {@code lba} and at most {@code maxBlocks} blocks
     * (GET LBA STATUS).
     */
    CompletableFuture<List<LbaStatus>> provisioningStatus(long lba, long maxBlocks);

    /**
     * The sanitize methods this volume really performs (REPORT SUPPORTED OPERATION CODES offers
     * exactly these). The default, an overwrite through {@link #writeSame}, works for any volume.
     */
    default Set<SanitizeMethod> sanitizeMethods() {
        return EnumSet.of(SanitizeMethod.OVERWRITE);
    }

    /**
     * Makes the user data of the whole volume unrecoverable by {@code request}'s method and
     * completes once that is durable: afterwards every block reads the pattern (overwrite) or
     * zeroes (block erase). {@code progress} hears how far it got. A method outside
     * {@link #sanitizeMethods()} fails with {@link SenseCode#INVALID_FIELD_IN_CDB}. The default
     * overwrites in place through {@link #writeSame}, which is the physical overwrite only for
     * volumes that write in place; others override it.
     */
    default CompletableFuture<Void> sanitize(SanitizeRequest request, SanitizeProgress progress) {
        if (!sanitizeMethods().contains(request.method())) {
            return CompletableFuture.failedFuture(new BlockIoException(SenseCode.INVALID_FIELD_IN_CDB,
                    "sanitize method " + request.method() + " is not offered"));
        }
        return VolumeOverwriter.overwrite(this, request, progress);
    }

    /**
     * Registers a listener for events hosts must hear about (capacity changed, pool space running
     * low). Returns a handle that unregisters it. Listeners run on the volume's threads and must
     * not block.
     */
    AutoCloseable subscribe(VolumeEventListener listener);
}
