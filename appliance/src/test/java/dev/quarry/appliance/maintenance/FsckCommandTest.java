package dev.quarry.appliance.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.appliance.ExitCodes;
import dev.quarry.appliance.QuarryCommand;
import dev.quarry.appliance.testing.ApplianceFixture;
import dev.quarry.block.WriteOptions;
import dev.quarry.volume.VolumeManager;
import dev.quarry.volume.VolumeManagerConfig;
import io.netty.buffer.Unpooled;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class FsckCommandTest {

    @TempDir
    Path data;

    private final StringWriter output = new StringWriter();

    @Test
    void shouldReportCleanMetadataWithExitCodeZero() throws Exception {
        writeSomeData();
        assertThat(fsck()).isEqualTo(ExitCodes.OK);
        assertThat(output.toString()).contains("checked 1 volumes").contains("clean");
    }

    @Test
    void shouldReportADamagedChunkWithExitCodeOne() throws Exception {
        writeSomeData();
        try (FileChannel disk = FileChannel.open(data.resolve("disks/test-0.img"), StandardOpenOption.WRITE)) {
            byte[] garbage = new byte[64 << 10];
            new Random(1).nextBytes(garbage);
            disk.write(ByteBuffer.wrap(garbage), 1 << 20);
        }
        assertThat(fsck()).isEqualTo(ExitCodes.FAILED);
        assertThat(output.toString()).contains("PROBLEM").contains("problem(s)");
    }

    @Test
    void shouldRefuseAFolderWithoutAnAppliance() {
        assertThat(fsck()).isEqualTo(ExitCodes.USAGE);
    }

    private int fsck() {
        CommandLine command = QuarryCommand.commandLine();
        command.setOut(new PrintWriter(output, true));
        command.setErr(new PrintWriter(output, true));
        return command.execute("fsck", "--data", data.toString());
    }

    private void writeSomeData() throws Exception {
        try (VolumeManager volumes = VolumeManager.open(data.resolve("metadata"), VolumeManagerConfig.DEFAULT)) {
            ApplianceFixture.pool(volumes, data, 256L << 20);
            ApplianceFixture.volume(volumes, "checked", 32L << 20);
            byte[] bytes = new byte[256 << 10];
            new Random(3).nextBytes(bytes);
            volumes.volumes().open("checked").write(0, Unpooled.wrappedBuffer(bytes), WriteOptions.FUA).join();
        }
    }
}
