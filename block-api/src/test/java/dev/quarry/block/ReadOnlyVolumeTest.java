package dev.quarry.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.block.testing.MemoryBlockVolume;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReadOnlyVolumeTest {

    private final MemoryBlockVolume volume = new MemoryBlockVolume(1 << 20);
    private final ReadOnlyVolume view = new ReadOnlyVolume(volume);

    @AfterEach
    void close() {
        volume.close();
    }

    @Test
    void shouldReadThroughAndRefuseEveryWriteWithWriteProtected() {
        volume.write(0, Unpooled.directBuffer(512).writeZero(511).writeByte(7), WriteOptions.CACHED).join();
        ByteBuf read = view.read(0, 1).join();
        try {
            assertThat(read.getByte(511)).isEqualTo((byte) 7);
        } finally {
            read.release();
        }
        assertWriteProtected(() -> view.write(0, Unpooled.directBuffer(512).writeZero(512), WriteOptions.CACHED).join());
        assertWriteProtected(() -> view.writeSame(0, 8, Unpooled.directBuffer(512).writeZero(512), false, WriteOptions.CACHED).join());
        assertWriteProtected(() -> view.unmap(0, 8).join());
        assertWriteProtected(() -> view.modify(0, 1, current -> current.retainedDuplicate(), WriteOptions.CACHED).join());
        assertThat(view.readOnly()).isTrue();
    }

    @Test
    void shouldLeaveTheVolumeOpenWhenTheViewCloses() {
        view.close();
        ByteBuf read = volume.read(0, 1).join();
        read.release();
    }

    private static void assertWriteProtected(Runnable write) {
        assertThatThrownBy(write::run).isInstanceOf(CompletionException.class)
                .extracting(e -> ((BlockIoException) e.getCause()).sense()).isEqualTo(SenseCode.WRITE_PROTECTED);
    }
}
