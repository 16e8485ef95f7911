package dev.quarry.appliance.demo;

import dev.quarry.appliance.Appliance;
import dev.quarry.appliance.config.ByteSize;
import dev.quarry.appliance.config.ByteSizeConverter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code quarry demo}: the appliance on its embedded default, one demo LUN on a sparse file under
 * the data folder, so that a newcomer can mount a LUN without any setup. Runs until SIGTERM or
 * Ctrl-C, then stops cleanly (initiators are asked to log out, data is flushed).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start the appliance with a demo LUN on a sparse file under the data folder.")
public final class DemoCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--size", defaultValue = "8GiB", converter = ByteSizeConverter.class,
            description = "Size of the demo LUN (default: ${DEFAULT-VALUE}).")
    long size;

    @Option(names = "--iscsi-port", defaultValue = "3260", description = "iSCSI portal port (default: ${DEFAULT-VALUE}).")
    int iscsiPort;

    @Option(names = "--http-port", defaultValue = "8080", description = "Admin HTTP port (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--bind", defaultValue = "127.0.0.1",
            description = "Address the iSCSI portal listens on; the admin API stays on loopback (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--data", defaultValue = "data", description = "Data folder (default: ./${DEFAULT-VALUE}).")
    Path data;

    @Override
    public Integer call() throws Exception {
        if (size <= 0 || size % 4096 != 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--size must be a positive multiple of 4KiB");
        }
        DemoSetup.Settings settings = new DemoSetup.Settings(data, size, bind, iscsiPort, httpPort);
        Appliance appliance = DemoSetup.start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(appliance::close, "quarry-shutdown"));
        printWelcome(spec.commandLine().getOut(), settings, appliance);
        appliance.awaitStopped();
        return 0;
    }

    private static void printWelcome(PrintWriter out, DemoSetup.Settings settings, Appliance appliance) {
        String portal = settings.bind() + ":" + appliance.iscsi().port();
        String url = "iscsi://" + portal + "/" + DemoSetup.TARGET_NAME + "/0";
        out.println();
        out.println("Quarry demo is serving.");
        out.println("  LUN 0      " + ByteSize.format(settings.size()) + " thin volume in a pool on "
                + DemoSetup.backingFile(settings).toAbsolutePath());
        out.println("  iSCSI URL  " + url);
        out.println("  try        qemu-img info " + url);
        out.println("             iscsi-ls -s iscsi://" + portal);
        String api = "http://" + DemoSetup.LOOPBACK + ":" + appliance.http().port();
        out.println("  admin API  " + api + "/api/v1 (no token, loopback only; try quarry volume list --url " + api + ")");
        out.println("Stop with Ctrl-C (or SIGTERM).");
        out.flush();
    }
}
