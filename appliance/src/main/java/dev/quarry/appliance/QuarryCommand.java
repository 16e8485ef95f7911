package dev.quarry.appliance;

import dev.quarry.appliance.demo.DemoCommand;
import dev.quarry.appliance.maintenance.FsckCommand;
import dev.quarry.appliance.serve.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code quarry}: the appliance daemon and its command-line interface. Exit codes are the
 * documented contract scripts rely on (see {@link ExitCodes}).
 */
@Command(name = "quarry", mixinStandardHelpOptions = true, versionProvider = Versions.class,
        description = "Quarry storage virtualisation appliance: thin LUNs over iSCSI.",
        subcommands = {ServeCommand.class, DemoCommand.class, FsckCommand.class, CommandLine.HelpCommand.class})
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
                .setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (see quarry --help)");
    }
}
