package dev.quarry.volume;

import dev.quarry.block.BlockIoException;
import dev.quarry.block.BlockVolume;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/** Small helpers for volume tests: bounded waits, buffers, patterns. */
public final class VolumeTesting {

    private VolumeTesting() {
    }

    public static <T> T await(CompletableFuture<T> future) {
        try {
            return future.orTimeout(60, TimeUnit.SECONDS).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    public static ByteBuf buffer(byte[] bytes) {
        return ByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
    }

    public static byte[] pattern(int length, long seed) {
        byte[] bytes = new byte[length];
        long x = seed * 0x9E3779B97F4A7C15L + 1;
        for (int i = 0; i < length; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            bytes[i] = (byte) x;
        }
        return bytes;
    }

    public static byte[] read(BlockVolume volume, long lba, int blocks) {
        ByteBuf data = await(volume.read(lba, blocks));
        try {
            return ByteBufUtil.getBytes(data);
        } finally {
            data.release();
        }
    }

    /** The sense of a failed future, or null when it succeeded. */
    public static BlockIoException failure(CompletableFuture<?> future) {
        try {
            Object value = await(future);
            if (value instanceof ByteBuf buf) {
                buf.release();
            }
            return null;
        } catch (BlockIoException e) {
            return e;
        }
    }
}
