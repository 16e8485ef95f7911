package dev.quarry.appliance.maintenance;

import dev.quarry.appliance.ApplianceSettings;
import dev.quarry.appliance.ExitCodes;
import dev.quarry.volume.VolumeManager;
import dev.quarry.volume.VolumeManagerConfig;
import dev.quarry.volume.fsck.FsckReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code quarry fsck}: checks that block maps, chunk records, reference counts, segment usage and
 * the chunk headers on disk agree. Runs on a stopped appliance (the metadata store admits one
 * process at a time). Exit code 0 when clean, 1 when problems were found.
 */
@Command(name = "fsck", mixinStandardHelpOptions = true,
        description = "Check the consistency of a stopped appliance's metadata and chunks.")
public final class FsckCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", defaultValue = "data", description = "Data folder (default: ./${DEFAULT-VALUE}).")
    Path data;

    @Override
    public Integer call() {
        ApplianceSettings settings = new ApplianceSettings(data, "127.0.0.1", 0, 0, VolumeManagerConfig.DEFAULT);
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.isDirectory(settings.metadataDirectory())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no appliance metadata under " + data.toAbsolutePath());
        }
        FsckReport report;
        try (VolumeManager volumes = VolumeManager.open(settings.metadataDirectory(), settings.volumes())) {
            report = volumes.fsck();
        }
        out.printf("checked %d volumes, %d mapped blocks, %d chunks, %d segments (%d stale placement hints)%n",
                report.volumes(), report.mappedBlocks(), report.chunks(), report.segments(), report.staleHints());
        report.problems().forEach(problem -> out.println("PROBLEM " + problem));
        out.println(report.clean() ? "clean" : report.problems().size() + " problem(s)");
        out.flush();
        return report.clean() ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
