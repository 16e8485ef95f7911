package dev.quarry.block.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.block.BlockVolume;
import dev.quarry.block.LbaStatus;
import dev.quarry.block.WriteOptions;
import org.junit.jupiter.api.Test;

class MemoryBlockVolumeTest extends BlockVolumeContract {

    @Override
    protected BlockVolume newVolume() {
        return new MemoryBlockVolume(16 << 20);
    }

    @Test
    void shouldFreePagesThatAreUnmapped() {
        MemoryBlockVolume memory = (MemoryBlockVolume) volume;
        await(memory.write(0, buffer(pattern(8 * 512, 1)), WriteOptions.CACHED));
        assertThat(memory.allocatedPages()).isEqualTo(1);
        assertThat(await(memory.provisioningStatus(0, 16)))
                .containsExactly(new LbaStatus(0, 8, LbaStatus.State.MAPPED), new LbaStatus(8, 8, LbaStatus.State.DEALLOCATED));
        await(memory.unmap(0, 8));
        assertThat(memory.allocatedPages()).isZero();
    }
}
