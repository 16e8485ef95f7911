package dev.quarry.appliance.serve;

import dev.quarry.appliance.Appliance;
import dev.quarry.appliance.ApplianceSettings;
import dev.quarry.appliance.disk.IscsiDiskOpener;
import dev.quarry.volume.disk.DiskOpener;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code quarry serve --config FILE}: the appliance daemon. Reads the configuration file (owner-only,
 * see {@link ConfigFile}), opens the data folder it names, serves the iSCSI portal and the admin
 * API, and runs until SIGTERM or Ctrl-C, then stops cleanly (initiators are asked to log out, data
 * is flushed). Pools, volumes and targets are created through the API or the CLI.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the appliance daemon with the settings of a configuration file.")
public final class ServeCommand implements Callable<Integer> {

    /** Where the installed package puts the configuration file. */
    public static final String DEFAULT_CONFIG = "/etc/quarry/quarry.yaml";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-c", "--config"}, defaultValue = DEFAULT_CONFIG, paramLabel = "FILE",
            description = "Configuration file, mode 0600 (default: ${DEFAULT-VALUE}).")
    Path config;

    @Override
    public Integer call() throws Exception {
        Path file = config.toAbsolutePath();
        QuarryConfig loaded = ConfigFile.load(file);
        Path base = file.getParent();
        IscsiDiskOpener remote = remoteDisks(loaded, base);
        List<DiskOpener> openers = remote == null ? List.of() : List.of(remote);
        ApplianceSettings settings;
        Appliance appliance;
        try {
            settings = ConfigFile.settings(loaded, base, openers);
            appliance = Appliance.start(settings, (volumes, targets) -> { });
        } catch (IOException | InterruptedException | RuntimeException e) {
            closeRemote(remote);
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            appliance.close();
            closeRemote(remote);
        }, "quarry-shutdown"));
        printServing(spec.commandLine().getOut(), settings, appliance);
        appliance.awaitStopped();
        return 0;
    }

    private static IscsiDiskOpener remoteDisks(QuarryConfig config, Path base) throws IOException {
        String initiator = config.remoteDisks().initiatorName();
        if (initiator == null || initiator.isBlank()) {
            return null;
        }
        return IscsiDiskOpener.start(initiator, base.resolve(config.data()).resolve("config").resolve("remote-disk-secrets.json"));
    }

    private static void closeRemote(IscsiDiskOpener remote) {
        if (remote != null) {
            remote.close();
        }
    }

    private static void printServing(PrintWriter out, ApplianceSettings settings, Appliance appliance) {
        out.println("Quarry is serving from " + settings.data().toAbsolutePath());
        for (InetSocketAddress portal : appliance.iscsi().boundAddresses()) {
            out.println("  iSCSI portal  " + portal.getHostString() + ":" + portal.getPort());
        }
        out.println("  admin API     " + (appliance.http().tls() ? "https" : "http") + "://" + settings.httpBind() + ":"
                + appliance.http().port() + "/api/v1");
        out.println("Stop with Ctrl-C (or SIGTERM).");
        out.flush();
    }
}
