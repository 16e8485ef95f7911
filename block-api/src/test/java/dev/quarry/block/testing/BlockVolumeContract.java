package dev.quarry.block.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.block.BlockIoException;
import dev.quarry.block.BlockVolume;
import dev.quarry.block.SanitizeMethod;
import dev.quarry.block.SanitizeProgress;
import dev.quarry.block.SanitizeRequest;
import dev.quarry.block.SenseCode;
import dev.quarry.block.WriteOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link BlockVolume} must do, whatever stores its blocks. An implementation's test
 * extends this class and says how to make a fresh, writable volume of at least 16 MiB.
 */
public abstract class BlockVolumeContract {

    protected BlockVolume volume;

    /** A fresh writable volume of at least 16 MiB whose blocks read as zeroes. */
    protected abstract BlockVolume newVolume() throws Exception;

    @BeforeEach
    void openVolume() throws Exception {
        volume = newVolume();
    }

    @AfterEach
    void closeVolume() {
        volume.close();
    }

    @Test
    void shouldReadZeroesFromNeverWrittenBlocks() {
        ByteBuf data = await(volume.read(100, 8));
        try {
            assertThat(data.readableBytes()).isEqualTo(8 * volume.blockSize());
            assertThat(data.forEachByte(b -> b == 0)).isEqualTo(-1);
        } finally {
            data.release();
        }
    }

    @Test
    void shouldReadBackWhatWasWritten() {
        byte[] pattern = pattern(16 * volume.blockSize(), 7);
        await(volume.write(32, buffer(pattern), WriteOptions.CACHED));
        assertThat(readBytes(32, 16)).isEqualTo(pattern);
    }

    @Test
    void shouldKeepDataAfterFuaWriteAndFlush() {
        byte[] pattern = pattern(volume.blockSize(), 3);
        await(volume.write(1, buffer(pattern), WriteOptions.FUA));
        await(volume.flush());
        assertThat(readBytes(1, 1)).isEqualTo(pattern);
    }

    @Test
    void shouldRefuseReadAndWriteBeyondCapacity() {
        long end = volume.blockCount();
        assertSense(volume.read(end, 1), SenseCode.LBA_OUT_OF_RANGE);
        assertSense(volume.read(end - 1, 2), SenseCode.LBA_OUT_OF_RANGE);
        assertSense(volume.write(end, buffer(new byte[volume.blockSize()]), WriteOptions.CACHED), SenseCode.LBA_OUT_OF_RANGE);
        assertSense(volume.read(Long.MAX_VALUE, 1), SenseCode.LBA_OUT_OF_RANGE);
    }

    @Test
    void shouldApplyModifyAtomicallyAgainstConcurrentModifies() {
        await(volume.write(0, buffer(new byte[volume.blockSize()]), WriteOptions.CACHED));
        List<CompletableFuture<Void>> increments = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            increments.add(volume.modify(0, 1, current -> {
                ByteBuf next = ByteBufAllocator.DEFAULT.buffer(current.readableBytes());
                next.writeBytes(current, current.readerIndex(), current.readableBytes());
                next.setInt(0, current.getInt(current.readerIndex()) + 1);
                return next;
            }, WriteOptions.CACHED));
        }
        increments.forEach(BlockVolumeContract::await);
        ByteBuf result = await(volume.read(0, 1));
        try {
            assertThat(result.getInt(result.readerIndex())).isEqualTo(200);
        } finally {
            result.release();
        }
    }

    @Test
    void shouldWriteNothingWhenModifierFails() {
        byte[] before = pattern(volume.blockSize(), 9);
        await(volume.write(5, buffer(before), WriteOptions.CACHED));
        CompletableFuture<Void> failed = volume.modify(5, 1, current -> {
            throw BlockIoException.miscompare(3);
        }, WriteOptions.CACHED);
        assertSense(failed, SenseCode.MISCOMPARE);
        assertThat(readBytes(5, 1)).isEqualTo(before);
    }

    @Test
    void shouldRepeatPatternWithWriteSame() {
        byte[] block = pattern(volume.blockSize(), 11);
        await(volume.writeSame(64, 40, buffer(block), false, WriteOptions.CACHED));
        byte[] all = readBytes(64, 40);
        for (int i = 0; i < 40; i++) {
            byte[] one = new byte[volume.blockSize()];
            System.arraycopy(all, i * volume.blockSize(), one, 0, one.length);
            assertThat(one).isEqualTo(block);
        }
        assertThat(readBytes(104, 1)).containsOnly(0);
    }

    @Test
    void shouldCopyBlocksWithinTheVolume() {
        byte[] data = pattern(8 * volume.blockSize(), 13);
        await(volume.write(200, buffer(data), WriteOptions.CACHED));
        await(volume.copyFrom(volume, 200, 400, 8));
        assertThat(readBytes(400, 8)).isEqualTo(data);
    }

    @Test
    void shouldReportProvisioningStatusCoveringTheRequestedBlock() {
        var extents = await(volume.provisioningStatus(10, 100));
        assertThat(extents).isNotEmpty();
        assertThat(extents.get(0).lba()).isEqualTo(10);
    }

    @Test
    void shouldSanitizeByOverwriteSoEveryBlockReadsTheLastPassPattern() {
        await(volume.write(0, buffer(pattern(8 * volume.blockSize(), 3)), WriteOptions.CACHED));
        long last = volume.blockCount() - 8;
        await(volume.write(last, buffer(pattern(8 * volume.blockSize(), 5)), WriteOptions.CACHED));
        byte[] block = pattern(volume.blockSize(), 9);
        long[] progress = {0, 0};
        await(volume.sanitize(SanitizeRequest.overwrite(block, 2, true), (done, total) -> {
            progress[0] = done;
            progress[1] = total;
        }));
        byte[] expected = new byte[8 * volume.blockSize()];
        for (int i = 0; i < 8; i++) {
            System.arraycopy(block, 0, expected, i * block.length, block.length);
        }
        assertThat(readBytes(0, 8)).isEqualTo(expected);
        assertThat(readBytes(last, 8)).isEqualTo(expected);
        assertThat(progress[0]).isPositive().isEqualTo(progress[1]);
    }

    @Test
    void shouldSanitizeByEveryOfferedMethodAndRefuseTheOthers() {
        for (SanitizeMethod method : SanitizeMethod.values()) {
            await(volume.write(16, buffer(pattern(8 * volume.blockSize(), 4)), WriteOptions.CACHED));
            SanitizeRequest request = switch (method) {
                case OVERWRITE -> SanitizeRequest.overwrite(new byte[volume.blockSize()], 1, false);
                case BLOCK_ERASE -> SanitizeRequest.blockErase();
                case CRYPTO_ERASE -> SanitizeRequest.cryptoErase();
            };
            if (volume.sanitizeMethods().contains(method)) {
                await(volume.sanitize(request, SanitizeProgress.NONE));
                assertThat(readBytes(16, 8)).as(method.name()).isEqualTo(new byte[8 * volume.blockSize()]);
            } else {
                assertSense(volume.sanitize(request, SanitizeProgress.NONE), SenseCode.INVALID_FIELD_IN_CDB);
            }
        }
        assertThat(volume.sanitizeMethods()).contains(SanitizeMethod.OVERWRITE);
    }

    /** Waits for a future (bounded), unwrapping the failure. */
    protected static <T> T await(CompletableFuture<T> future) {
        try {
            return future.orTimeout(30, TimeUnit.SECONDS).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    protected static void assertSense(CompletableFuture<?> future, SenseCode expected) {
        assertThatThrownBy(() -> await(future))
                .isInstanceOf(BlockIoException.class)
                .extracting(e -> ((BlockIoException) e).sense())
                .isEqualTo(expected);
    }

    protected byte[] readBytes(long lba, int blocks) {
        ByteBuf data = await(volume.read(lba, blocks));
        try {
            return ByteBufUtil.getBytes(data);
        } finally {
            data.release();
        }
    }

    protected static ByteBuf buffer(byte[] bytes) {
        return ByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
    }

    protected static byte[] pattern(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + seed);
        }
        return bytes;
    }
}
