package dev.quarry.iscsi.initiator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.block.WriteOptions;
import dev.quarry.block.testing.MemoryBlockVolume;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeIT {

    @TempDir
    Path state;

    @Test
    void shouldWriteAndReadBack() throws Exception {
        try (QuarryTarget target = new QuarryTarget(new MemoryBlockVolume(64 << 20), state, null);
             IscsiInitiator initiator = IscsiInitiator.start(InitiatorConfig.defaults("iqn.2026-11.dev.quarry:smoke"))) {
            RemoteLun lun = initiator.open(target.remote()).join();
            assertThat(lun.blockSize()).isEqualTo(512);
            assertThat(lun.blockCount()).isEqualTo((64 << 20) / 512);
            assertThat(lun.identity().naa()).isEqualTo(QuarryTarget.NAA);
            byte[] bytes = new byte[1 << 20];
            ThreadLocalRandom.current().nextBytes(bytes);
            ByteBuf data = ByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
            lun.write(2048, data, WriteOptions.CACHED).join();
            ByteBuf back = lun.read(2048, bytes.length / 512).join();
            try {
                byte[] read = new byte[back.readableBytes()];
                back.readBytes(read);
                assertThat(read).isEqualTo(bytes);
            } finally {
                back.release();
            }
            lun.flush().join();
            lun.close();
        }
    }
}
