package dev.quarry.volume.disk;

import dev.quarry.block.BlockDevice;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * A test {@link DiskOpener} for locators {@code test:PATH}: opens the file disk at PATH and wraps
 * it (fault injection, throttling), remembering each wrapper so that tests can reach it.
 *
 * <p>Thread-safe.
 */
public final class DecoratingOpener implements DiskOpener {

    private final UnaryOperator<BlockDevice> wrap;
    private final Map<String, BlockDevice> opened = new ConcurrentHashMap<>();

    public DecoratingOpener(UnaryOperator<BlockDevice> wrap) {
        this.wrap = wrap;
    }

    public static String locator(java.nio.file.Path path) {
        return "test:" + path.toAbsolutePath();
    }

    @Override
    public boolean handles(String locator) {
        return locator.startsWith("test:");
    }

    @Override
    public BlockDevice open(String locator) throws IOException {
        BlockDevice device = wrap.apply(new FileDiskOpener().open("file:" + locator.substring(5)));
        opened.put(locator, device);
        return device;
    }

    /** The wrapper last opened for {@code locator}. */
    public BlockDevice device(String locator) {
        return opened.get(locator);
    }
}
