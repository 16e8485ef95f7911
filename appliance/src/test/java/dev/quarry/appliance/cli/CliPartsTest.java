package dev.quarry.appliance.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.appliance.ExitCodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The CLI's small parts: pool/volume names, human sizes, tables, disk locators, problem exit codes. */
class CliPartsTest {

    @Test
    void shouldParsePoolSlashVolumeAndPointSnapshotsToTheirCommands() {
        assertThat(Names.parse("tank/vol1")).isEqualTo(new Names("tank", "vol1"));
        assertThat(Names.parse("vol1")).isEqualTo(new Names(null, "vol1"));
        assertThatThrownBy(() -> Names.parse("tank/vol1@monday")).isInstanceOf(CliException.class)
                .hasMessageContaining("quarry snapshot show tank/vol1@monday");
        assertThatThrownBy(() -> Names.parse("a/b/c")).isInstanceOf(CliException.class);
        assertThatThrownBy(() -> Names.parseWithPool("vol1")).hasMessageContaining("pool/vol1");
    }

    @Test
    void shouldParseSnapshotNamesAsZfsAndRbdWriteThem() {
        assertThat(Names.parseSnapshot("tank/vol1@monday")).isEqualTo(new Names("tank", "vol1", "monday"));
        assertThat(Names.parseSnapshot("vol1@monday").exported()).isEqualTo("vol1@monday");
        assertThat(Names.parseAny("tank/vol1").exported()).isEqualTo("vol1");
        assertThatThrownBy(() -> Names.parseSnapshot("tank/vol1")).isInstanceOf(CliException.class)
                .hasMessageContaining("volume@snapshot");
        for (String bad : new String[] {"vol@", "@snap", "vol@a@b", "/vol@s", "a/b/c@s"}) {
            assertThatThrownBy(() -> Names.parseAny(bad)).as(bad).isInstanceOf(CliException.class)
                    .extracting(e -> ((CliException) e).exitCode()).isEqualTo(ExitCodes.USAGE);
        }
    }

    @Test
    void shouldPrintHumanSizesAndAlignedTables() throws Exception {
        assertThat(Output.human(100)).isEqualTo("100 B");
        assertThat(Output.human(64L << 20)).isEqualTo("64.0 MiB");
        assertThat(Output.human(3L << 39)).isEqualTo("1.5 TiB");
        StringWriter text = new StringWriter();
        new Output(new PrintWriter(text), false).list(new ObjectMapper().readTree("[{\"name\":\"a\",\"size\":1024},{\"name\":\"long-name\"}]"),
                Output.text("NAME", "name"), Output.size("SIZE", "size"));
        assertThat(text.toString().lines()).containsExactly("NAME       SIZE", "a          1.0 KiB", "long-name  0 B");
    }

    @Test
    void shouldTurnBarePathsIntoFileLocators() {
        assertThat(DiskCommand.locator("iscsi://h/iqn.x:y/0")).isEqualTo("iscsi://h/iqn.x:y/0");
        assertThat(DiskCommand.locator("file:/dev/sdb")).isEqualTo("file:/dev/sdb");
        assertThat(DiskCommand.locator("disks/../d0.img")).isEqualTo("file:" + Path.of("d0.img").toAbsolutePath());
    }

    @Test
    void shouldMapProblemStatusesToExitCodes() {
        assertThat(new ApiCallException(404, "t", "d").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(new ApiCallException(403, "t", "d").exitCode()).isEqualTo(ExitCodes.AUTH);
        assertThat(new ApiCallException(422, "t", "d").exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(new ApiCallException(500, "t", "d").exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(ExitCodes.of(new ApiCallException(409, "t", "d"))).isEqualTo(ExitCodes.CONFLICT);
    }
}
