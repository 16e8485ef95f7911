package dev.quarry.volume.scale;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scale measurement at a size the normal suite affords (64 MiB; {@code -Dquarry.scale.mib=N}
 * for more): RocksDB stays under 32 bytes per mapped 4 KiB block after compaction.
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class ScaleTest {

    @TempDir
    Path dir;

    @Test
    void shouldKeepMetadataUnderThirtyTwoBytesPerMappedBlock() throws Exception {
        long mib = Long.getLong("quarry.scale.mib", 64);
        ScaleBenchmark.Result result = ScaleBenchmark.measure(dir, mib);
        assertThat(result.mappedBlocks()).isEqualTo((mib << 20) / 4096);
        assertThat(result.bytesPerBlock()).isLessThan(32.0);
    }
}
