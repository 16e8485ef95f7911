package dev.quarry.volume.segment;

import dev.quarry.volume.disk.BackendDisk;

/**
 * A segment taking appends: space is reserved at increasing offsets, so records are written
 * sequentially, each append on whole device blocks. Counts appends in flight so that the cleaner
 * leaves a sealed segment alone until everything written into it has reached the committer.
 *
 * <p>Thread-safe (short critical sections).
 */
public final class OpenSegment {

    private final BackendDisk disk;
    private final int segment;
    private final int size;
    private int writeOffset;
    private int inFlight;
    private boolean sealed;

    public OpenSegment(BackendDisk disk, int segment, int size) {
        this.disk = disk;
        this.segment = segment;
        this.size = size;
    }

    public BackendDisk disk() {
        return disk;
    }

    public int segment() {
        return segment;
    }

    /** Reserves {@code bytes} (whole device blocks) and returns their offset, or -1 when they do not fit. */
    public synchronized int reserve(int bytes) {
        if (sealed || size - writeOffset < bytes) {
            return -1;
        }
        int offset = writeOffset;
        writeOffset += bytes;
        inFlight++;
        return offset;
    }

    /** Stops appends; returns whether nothing is in flight any more. */
    public synchronized boolean seal() {
        sealed = true;
        return inFlight == 0;
    }

    /** An append finished (written and handed to the committer, or failed); returns whether the segment is now settled. */
    public synchronized boolean appendDone() {
        inFlight--;
        return sealed && inFlight == 0;
    }

    public synchronized int writeOffset() {
        return writeOffset;
    }
}
