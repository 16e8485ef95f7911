package dev.quarry.volume.thin;

import dev.quarry.block.LbaStatus;
import dev.quarry.volume.map.BlockMap;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers GET LBA STATUS from the block map: walks the mapped blocks of the range with one
 * iterator (merged with pending writes) and turns runs of mapped and unmapped blocks into LBA
 * extents, at most {@link #MAX_EXTENTS} of them.
 *
 * <p>Thread-safe (stateless); blocks in RocksDB, so call on a volume thread.
 */
final class ProvisioningScanner {

    static final int MAX_EXTENTS = 1024;

    private final BlockMap blockMap;
    private final int volumeId;

    ProvisioningScanner(BlockMap blockMap, int volumeId) {
        this.blockMap = blockMap;
        this.volumeId = volumeId;
    }

    /** Extents covering [lba, lba + lbas), starting exactly at {@code lba}. */
    List<LbaStatus> scan(long lba, long lbas) {
        long end = lba + lbas;
        long from = Blocks.blockOf(lba);
        long to = Blocks.blockEnd(lba, lbas);
        List<LbaStatus> extents = new ArrayList<>();
        long[] cursor = {lba};
        long[] mappedRun = {-1, -1};
        blockMap.forEachMapped(volumeId, from, to, (block, value) -> {
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
