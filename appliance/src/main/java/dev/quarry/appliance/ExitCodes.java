package dev.quarry.appliance;

import dev.quarry.appliance.cli.CliException;
import dev.quarry.appliance.serve.ConfigException;
import java.net.BindException;

/**
 * Exit codes of {@code quarry}, stable so that scripts can rely on them (documented in
 * docs/cli.md).
 */
public final class ExitCodes {

    /** The command did what was asked. */
    public static final int OK = 0;
    /** The command failed at run time (an I/O error, a refused operation). */
    public static final int FAILED = 1;
    /** The command line was wrong (unknown option, bad value). */
    public static final int USAGE = 2;
    /** A port the appliance needs is already in use. */
    public static final int ADDRESS_IN_USE = 3;
    /** The configuration file is missing, readable by others than its owner, or wrong. */
    public static final int CONFIGURATION = 4;
    /** The admin API cannot be reached (nothing listening, TLS failed). */
    public static final int UNREACHABLE = 5;
    /** The API refused the token (missing, unknown, or read-only for a change). */
    public static final int AUTH = 6;
    /** What the command names does not exist. */
    public static final int NOT_FOUND = 7;
    /** The change conflicts with what exists (a different pool of that name, a mapped volume, a shrink). */
    public static final int CONFLICT = 8;
    /** A destructive command was not confirmed (answered no, or no terminal and no --yes). */
    public static final int ABORTED = 9;
    /** A job waited for with --wait failed. */
    public static final int JOB_FAILED = 10;

    private ExitCodes() {
    }

    /** The exit code of a command that failed with {@code failure}. */
    public static int of(Throwable failure) {
        if (failure instanceof picocli.CommandLine.ParameterException) {
            return USAGE;
        }
        if (failure instanceof CliException cli) {
            return cli.exitCode();
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConfigException) {
                return CONFIGURATION;
            }
            if (t instanceof BindException) {
                return ADDRESS_IN_USE;
            }
        }
        return FAILED;
    }
}
