package dev.quarry.volume.disk;

import dev.quarry.block.BlockDevice;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens {@link FileDisk}s from locators {@code file:PATH} (buffered, 512-byte blocks) and
 * {@code file+direct:PATH} (O_DIRECT, 4096-byte blocks). The file or device must exist.
 *
 * <p>Thread-safe (stateless).
 */
public final class FileDiskOpener implements DiskOpener {

    private static final String BUFFERED = "file:";
    private static final String DIRECT = "file+direct:";

    /** The locator of a file disk. */
    public static String locator(Path path, boolean direct) {
        return (direct ? DIRECT : BUFFERED) + path.toAbsolutePath();
    }

    @Override
    public boolean handles(String locator) {
        return locator.startsWith(BUFFERED) || locator.startsWith(DIRECT);
    }

    @Override
    public BlockDevice open(String locator) throws IOException {
        boolean direct = locator.startsWith(DIRECT);
        Path path = Path.of(locator.substring(direct ? DIRECT.length() : BUFFERED.length()));
        if (!path.toFile().exists()) {
            throw new IOException("backend disk " + path + " is missing");
        }
        return FileDisk.open(path, new FileDisk.Options(0, direct ? 4096 : 512, direct, 4));
    }
}
