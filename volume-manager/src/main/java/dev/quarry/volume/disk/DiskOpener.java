package dev.quarry.volume.disk;

import dev.quarry.block.BlockDevice;
import java.io.IOException;

/**
 * Reopens a backend disk from the locator stored in its record when the volume manager starts.
 * The manager asks each opener in turn; the iSCSI initiator will add one for remote LUNs.
 *
 * <p>Implementations are thread-safe.
 */
public interface DiskOpener {

    /** Whether this opener understands {@code locator}. */
    boolean handles(String locator);

    /** Opens the device; blocks (call at start-up or from an admin thread). */
    BlockDevice open(String locator) throws IOException;
}
