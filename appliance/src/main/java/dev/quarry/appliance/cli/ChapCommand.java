package dev.quarry.appliance.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.appliance.ExitCodes;
import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code quarry chap show|set|clear (TARGET | --discovery)}: the CHAP secrets logins must prove.
 * Secrets never go on the command line (where ps shows them): they come from a file, the
 * environment ({@code QUARRY_CHAP_SECRET}, {@code QUARRY_CHAP_MUTUAL_SECRET}) or a prompt.
 */
@Command(name = "chap", mixinStandardHelpOptions = true, description = "CHAP of a target or of discovery: show, set, clear.")
public final class ChapCommand extends ApiCommand {

    /** A target, or discovery sessions. */
    static final class Scope {
        @Parameters(paramLabel = "TARGET", description = "The target's IQN.")
        String target;

        @Option(names = "--discovery", description = "The CHAP of discovery sessions instead of a target's.")
        boolean discovery;

        String path() {
            return discovery ? "api/v1/discovery/chap" : "api/v1/targets/" + seg(target) + "/chap";
        }

        String describe() {
            return discovery ? "discovery" : "target " + target;
        }
    }

    @Command(name = "show", description = "Show which CHAP user a login must prove (secrets are never shown).")
    void show(@ArgGroup(multiplicity = "1") Scope scope) {
        JsonNode chap = client().get(scope.path());
        out().done(chap.path("chap").isNull() || chap.path("chap").isMissingNode() ? "No CHAP for " + scope.describe() + "."
                : "CHAP user " + chap.path("chap").path("user").asText()
                + (chap.path("chap").hasNonNull("mutualUser") ? ", mutual CHAP as " + chap.path("chap").path("mutualUser").asText() : "")
                + " for " + scope.describe() + ".", chap);
    }

    @Command(name = "set", description = "Require CHAP: the secret comes from --secret-file, $QUARRY_CHAP_SECRET or a prompt.")
    void set(@ArgGroup(multiplicity = "1") Scope scope,
             @Option(names = "--user", required = true, description = "The CHAP user initiators log in as.") String user,
             @Option(names = "--secret-file", paramLabel = "FILE", description = "File holding the secret (12-16+ characters).")
             Path secretFile,
             @Option(names = "--mutual-user", description = "For mutual CHAP: the name the target answers with.") String mutualUser,
             @Option(names = "--mutual-secret-file", paramLabel = "FILE",
                     description = "For mutual CHAP: the target's secret (else $QUARRY_CHAP_MUTUAL_SECRET or a prompt).")
             Path mutualSecretFile) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user", user);
        body.put("secret", secret(secretFile, "QUARRY_CHAP_SECRET", "CHAP secret for " + user + ": "));
        if (mutualUser != null) {
            body.put("mutualUser", mutualUser);
            body.put("mutualSecret", secret(mutualSecretFile, "QUARRY_CHAP_MUTUAL_SECRET", "Target secret for " + mutualUser + ": "));
        }
        out().done("CHAP required for " + scope.describe() + " (user " + user + ").", client().put(scope.path(), body));
    }

    @Command(name = "clear", description = "Stop requiring CHAP.")
    void clear(@ArgGroup(multiplicity = "1") Scope scope,
               @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.") boolean yes) {
        Confirmation.require(yes, "Let initiators log in to " + scope.describe() + " without CHAP?", err());
        out().done("CHAP no longer required for " + scope.describe() + ".", client().delete(scope.path()));
    }

    private static String secret(Path file, String variable, String prompt) {
        try {
            if (file != null) {
                return Files.readString(file).strip();
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read " + file + ": " + e.getMessage(), e);
        }
        String fromEnvironment = System.getenv(variable);
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return fromEnvironment;
        }
        Console console = System.console();
        if (console == null) {
            throw new CliException(ExitCodes.USAGE, "no secret: give --secret-file or set " + variable);
        }
        char[] typed = console.readPassword(prompt);
        if (typed == null || typed.length == 0) {
            throw new CliException(ExitCodes.USAGE, "no secret given");
        }
        return new String(typed);
    }
}
