package dev.quarry.appliance.cli;

import static dev.quarry.appliance.cli.Output.size;
import static dev.quarry.appliance.cli.Output.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.appliance.ExitCodes;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code quarry snapshot create|list|show|delete|rollback|clone}: snapshots named
 * {@code [pool/]volume@snapshot} as zfs and rbd users write them; delete, rollback and clone are
 * jobs ({@code --wait} follows them).
 */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
        description = "Snapshots ([pool/]volume@snapshot): create, list, show, delete, rollback, clone.")
public final class SnapshotCommand extends ApiCommand {

    private static final String NAME = "[POOL/]VOLUME@SNAPSHOT";

    @Command(name = "create", description = "Take a crash-consistent snapshot (the same name again is not an error).")
    void create(@Parameters(paramLabel = NAME) String name) {
        Names names = snapshot(name);
        JsonNode snapshot = client().post(base(names), Map.of("name", names.snapshot()));
        out().done("Snapshot " + snapshot.path("fullName").asText() + " taken.", snapshot);
    }

    @Command(name = "list", description = "List a volume's snapshots, oldest first.")
    void list(@Parameters(paramLabel = "[POOL/]VOLUME") String volume) {
        Names names = Names.parse(volume);
        checkPool(names);
        out().list(client().list(base(names)), text("NAME", "fullName"), size("SIZE", "sizeBytes"), text("CREATED", "created"),
                text("STATE", "state"));
    }

    @Command(name = "show", description = "Show a snapshot.")
    void show(@Parameters(paramLabel = NAME) String name) {
        Names names = snapshot(name);
        out().item(client().get(one(names)), text("Name", "fullName"), text("Volume", "volume"), size("Size", "sizeBytes"),
                text("Created", "created"), text("State", "state"));
    }

    @Command(name = "delete", description = "Delete a snapshot and reclaim the space only it kept (it must not be mapped).")
    void delete(@Parameters(paramLabel = NAME) String name,
                @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.") boolean yes,
                @Option(names = "--wait", description = "Wait for the space to be reclaimed, with a progress bar.") boolean wait) {
        Names names = snapshot(name);
        Confirmation.require(yes, "Delete snapshot " + name + "?", err());
        JsonNode job = client().delete(one(names));
        if (!job.has("id")) {
            out().done("Snapshot " + name + " does not exist (already deleted).", job);
            return;
        }
        followJob(job, wait, "Deleting snapshot " + name);
    }

    @Command(name = "rollback", description = {"Roll a volume back to a snapshot: everything written since is lost.",
        "The volume must not be mapped: hosts cache what they read and would not see the change."})
    void rollback(@Parameters(paramLabel = NAME) String name,
                  @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.") boolean yes,
                  @Option(names = "--wait", description = "Wait for the rollback, with a progress bar.") boolean wait) {
        Names names = snapshot(name);
        Confirmation.require(yes, "Roll volume " + names.volume() + " back to " + name + ", losing every write since?", err());
        followJob(client().post(one(names) + "/rollback", Map.of()), wait, "Rolling " + names.volume() + " back to " + name);
    }

    @Command(name = "clone", description = "Create a writable volume from a snapshot (same pool and size; no data is copied).")
    void clone(@Parameters(paramLabel = NAME) String name, @Parameters(paramLabel = "[POOL/]NEWVOLUME") String clone,
               @Option(names = "--wait", description = "Wait until the clone can be used, with a progress bar.") boolean wait) {
        Names names = snapshot(name);
        Names target = Names.parse(clone);
        if (target.pool() != null) {
            String pool = names.pool() != null ? names.pool() : volume(names).path("pool").asText();
            if (!target.pool().equals(pool)) {
                throw new CliException(ExitCodes.USAGE, "a clone lands in its snapshot's pool (" + pool + "), not " + target.pool());
            }
        }
        JsonNode job = client().post(one(names) + "/clones", Map.of("name", target.volume()));
        followJob(job, wait, "Cloning " + name + " as " + target.volume());
    }

    /** A snapshot name, checked against the pool when it gives one. */
    private Names snapshot(String text) {
        Names names = Names.parseSnapshot(text);
        checkPool(names);
        return names;
    }

    private void checkPool(Names names) {
        if (names.pool() != null) {
            String pool = volume(names).path("pool").asText();
            if (!names.pool().equals(pool)) {
                throw new CliException(ExitCodes.NOT_FOUND, "volume " + names.volume() + " is in pool " + pool + ", not " + names.pool());
            }
        }
    }

    private JsonNode volume(Names names) {
        return client().get("api/v1/volumes/" + seg(names.volume()));
    }

    private static String base(Names names) {
        return "api/v1/volumes/" + seg(names.volume()) + "/snapshots";
    }

    private static String one(Names names) {
        return base(names) + "/" + seg(names.snapshot());
    }
}
