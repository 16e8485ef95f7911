package dev.quarry.appliance;

import dev.quarry.appliance.serve.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
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

    private ExitCodes() {
    }

    static int of(Throwable failure) {
        if (failure instanceof picocli.CommandLine.ParameterException) {
            return USAGE;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConfigException) {
                return CONFIGURATION;
            }
            if (t instanceof BindException) {
                return ADDRESS_IN_USE;
            }
            if (t instanceof IOException || t instanceof UncheckedIOException) {
                return FAILED;
            }
        }
        return FAILED;
    }
}
