package dev.quarry.appliance.cli;

import static dev.quarry.appliance.cli.Output.size;
import static dev.quarry.appliance.cli.Output.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code quarry disk list|add|show|remove}: the backend disks of a pool; removal drains as a job. */
@Command(name = "disk", mixinStandardHelpOptions = true, description = "Backend disks of a pool: list, add, show, remove (drain).")
public final class DiskCommand extends ApiCommand {

    @Command(name = "list", description = "List the disks of a pool.")
    void list(@Parameters(paramLabel = "POOL") String pool) {
        out().list(client().list("api/v1/pools/" + seg(pool) + "/disks"), text("ID", "id"), text("STATE", "state"),
                text("TIER", "tier"), size("CAPACITY", "capacityBytes"), size("LIVE", "liveBytes"), text("LOCATOR", "locator"));
    }

    @Command(name = "add", description = "Add a disk: file:/path (a file or block device) or iscsi://[user%secret@]host/iqn/lun.")
    void add(@Parameters(paramLabel = "POOL") String pool, @Parameters(paramLabel = "LOCATOR") String locator,
             @Option(names = "--tier", description = "FC, SAS or SATA (default SAS).") String tier,
             @Option(names = "--failure-domain", description = "Enclosure, array or site (default: default).") String domain) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("locator", locator(locator));
        body.put("tier", tier);
        body.put("failureDomain", domain);
        body.values().removeIf(java.util.Objects::isNull);
        JsonNode disk = client().post("api/v1/pools/" + seg(pool) + "/disks", body);
        out().done("Disk " + disk.path("id").asText() + " is in pool " + pool + " (" + Output.human(disk.path("capacityBytes").asLong())
                + ").", disk);
    }

    /** A bare path (absolute, or relative to the current folder) is a file disk: {@code file:} plus its absolute path. */
    static String locator(String given) {
        if (given.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            return given;
        }
        return "file:" + java.nio.file.Path.of(given).toAbsolutePath().normalize();
    }

    @Command(name = "show", description = "Show a disk.")
    void show(@Parameters(paramLabel = "POOL") String pool, @Parameters(paramLabel = "DISK") int id) {
        out().item(client().get("api/v1/pools/" + seg(pool) + "/disks/" + id), text("ID", "id"), text("UUID", "uuid"),
                text("Locator", "locator"), text("State", "state"), text("Tier", "tier"), text("Failure domain", "failureDomain"),
                size("Capacity", "capacityBytes"), size("Live", "liveBytes"), text("Free segments", "freeSegments"),
                text("Read errors", "readErrors"), text("Write errors", "writeErrors"));
    }

    @Command(name = "remove", description = "Drain a disk to the pool's other disks, then remove it.")
    void remove(@Parameters(paramLabel = "POOL") String pool, @Parameters(paramLabel = "DISK") int id,
                @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.") boolean yes,
                @Option(names = "--wait", description = "Wait for the drain, with a progress bar.") boolean wait) {
        Confirmation.require(yes, "Drain disk " + id + " of pool " + pool + " and remove it?", err());
        String path = "api/v1/pools/" + seg(pool) + "/disks/" + id;
        JsonNode job = client().delete(path);
        if (!job.has("id")) {
            out().done("Disk " + id + " is not in pool " + pool + " (already removed).", job);
            return;
        }
        followJob(job, wait, "Draining disk " + id);
    }
}
