package dev.quarry.appliance.cli;

import dev.quarry.appliance.ExitCodes;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Asks before a destructive command: {@code --yes} skips the question; without a terminal and
 * without {@code --yes} the command is refused ({@link ExitCodes#ABORTED}) rather than guessed.
 *
 * <p>Stateless and thread-safe.
 */
final class Confirmation {

    private Confirmation() {
    }

    static void require(boolean yes, String question, PrintWriter err) {
        if (yes) {
            return;
        }
        Console console = System.console();
        if (console == null) {
            throw new CliException(ExitCodes.ABORTED, question + " Refused: no terminal to ask; pass --yes to confirm.");
        }
        err.print(question + " [y/N] ");
        err.flush();
        String answer;
        try {
            answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            throw new CliException(ExitCodes.ABORTED, "cannot read the answer: " + e.getMessage(), e);
        }
        if (answer == null || !answer.trim().toLowerCase(Locale.ROOT).matches("y|yes")) {
            throw new CliException(ExitCodes.ABORTED, "not confirmed; nothing was changed");
        }
    }
}
