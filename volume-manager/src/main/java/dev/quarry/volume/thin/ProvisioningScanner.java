package dev.quarry.volume.thin;

import dev.quarry.block.LbaStatus;
import dev.quarry.volume.map.BlockMap;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers GET LBA STATUS from a walk of the mapped 4 KiB blocks of the range (the live block map
 * merged with pending writes, or a snapshot's map) and turns runs of mapped and unmapped blocks
 * into LBA extents, at most {@link #MAX_EXTENTS} of them.
 *
 * <p>Thread-safe (stateless); the walk blocks in RocksDB, so call on a volume thread.
 */
public final class ProvisioningScanner {

    static final int MAX_EXTENTS = 1024;

    /** Visits the mapped blocks of [from, to) in increasing order. */
    @FunctionalInterface
    public interface MappedWalk {
        void forEachMapped(long from, long to, BlockMap.MappedVisitor visitor);
    }

    private final MappedWalk walk;

    public ProvisioningScanner(MappedWalk walk) {
        this.walk = walk;
    }

    ProvisioningScanner(BlockMap blockMap, int volumeId) {
        this((from, to, visitor) -> blockMap.forEachMapped(volumeId, from, to, visitor));
    }

    /** Extents covering [lba, lba + lbas), starting exactly at {@code lba}. */
    public List<LbaStatus> scan(long lba, long lbas) {
        long end = lba + lbas;
        long from = Blocks.blockOf(lba);
        long to = Blocks.blockEnd(lba, lbas);
        List<LbaStatus> extents = new ArrayList<>();
        long[] cursor = {lba};
        long[] mappedRun = {-1, -1};
        walk.forEachMapped(from, to, (block, value) -> {
            long start = Math.max(lba, block * Blocks.LBAS_PER_BLOCK);
            long stop = Math.min(end, (block + 1) * Blocks.LBAS_PER_BLOCK);
            if (mappedRun[0] >= 0 && mappedRun[1] == start) {
                mappedRun[1] = stop;
                return true;
            }
            if (mappedRun[0] >= 0) {
                add(extents, mappedRun[0], mappedRun[1], LbaStatus.State.MAPPED);
                cursor[0] = mappedRun[1];
            }
            add(extents, cursor[0], start, LbaStatus.State.DEALLOCATED);
            mappedRun[0] = start;
            mappedRun[1] = stop;
            return extents.size() < MAX_EXTENTS;
        });
        if (mappedRun[0] >= 0) {
            add(extents, mappedRun[0], mappedRun[1], LbaStatus.State.MAPPED);
            cursor[0] = mappedRun[1];
        }
        if (extents.size() < MAX_EXTENTS) {
            add(extents, cursor[0], end, LbaStatus.State.DEALLOCATED);
        }
        return extents;
    }

    private static void add(List<LbaStatus> extents, long start, long stop, LbaStatus.State state) {
        if (stop > start) {
            extents.add(new LbaStatus(start, stop - start, state));
        }
    }
}
