package dev.quarry.appliance;

import dev.quarry.appliance.cli.AclCommand;
import dev.quarry.appliance.cli.ChapCommand;
import dev.quarry.appliance.cli.CliException;
import dev.quarry.appliance.cli.CompletionCommand;
import dev.quarry.appliance.cli.DiskCommand;
import dev.quarry.appliance.cli.HealthCommand;
import dev.quarry.appliance.cli.JobCommand;
import dev.quarry.appliance.cli.LunCommand;
import dev.quarry.appliance.cli.PoolCommand;
import dev.quarry.appliance.cli.PortalCommand;
import dev.quarry.appliance.cli.SessionCommand;
import dev.quarry.appliance.cli.SnapshotCommand;
import dev.quarry.appliance.cli.TargetCommand;
import dev.quarry.appliance.cli.TokenCommand;
import dev.quarry.appliance.cli.VolumeCommand;
import dev.quarry.appliance.demo.DemoCommand;
import dev.quarry.appliance.maintenance.FsckCommand;
import dev.quarry.appliance.serve.ConfigException;
import dev.quarry.appliance.serve.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code quarry}: the appliance daemon ({@code serve}, {@code demo}), maintenance ({@code fsck}) and
 * the commands that drive a running appliance through its REST API. Exit codes are the documented
 * contract scripts rely on (see {@link ExitCodes}).
 */
@Command(name = "quarry", mixinStandardHelpOptions = true, versionProvider = Versions.class,
        description = "Quarry storage virtualisation appliance: thin LUNs over iSCSI.",
        subcommands = {ServeCommand.class, DemoCommand.class, FsckCommand.class,
            PoolCommand.class, DiskCommand.class, VolumeCommand.class, SnapshotCommand.class, TargetCommand.class,
            LunCommand.class, AclCommand.class,
            ChapCommand.class, PortalCommand.class, SessionCommand.class, JobCommand.class, HealthCommand.class,
            TokenCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class})
public final class QuarryCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (exit codes, error handling), also for tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new QuarryCommand())
                .setExitCodeExceptionMapper(ExitCodes::of)
                .setExecutionExceptionHandler(QuarryCommand::failed)
                .setCaseInsensitiveEnumValuesAllowed(true);
    }

    /**
     * A command that failed for a reason people can act on prints {@code quarry: reason} and exits
     * with its code; anything else is a bug and keeps its stack trace.
     */
    private static int failed(Exception e, CommandLine commandLine, CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof CliException || e instanceof ConfigException || e instanceof java.io.IOException) {
            commandLine.getErr().println("quarry: " + e.getMessage());
            commandLine.getErr().flush();
            return ExitCodes.of(e);
        }
        throw e;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (see quarry --help)");
    }
}
