package dev.quarry.appliance;

import picocli.CommandLine;

/** The appliance's version, from the jar manifest (or "development" when run from classes). */
public final class Versions implements CommandLine.IVersionProvider {

    /** The running version. */
    public static String current() {
        String version = Versions.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"quarry " + current()};
    }
}
