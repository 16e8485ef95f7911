package dev.quarry.appliance.cli;

import java.security.SecureRandom;
import java.util.HexFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code quarry token generate}: a new random API token (24 random bytes, hex) for the configuration file. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "API tokens: generate one for the configuration file.")
public final class TokenCommand {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Command(name = "generate", description = "Print a new random token (48 hex digits).")
    void generate() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        spec.commandLine().getOut().println(HexFormat.of().formatHex(bytes));
        spec.commandLine().getOut().flush();
    }
}
