package dev.quarry.appliance.cli;

import static dev.quarry.appliance.cli.Output.size;
import static dev.quarry.appliance.cli.Output.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.appliance.ExitCodes;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code quarry volume list|create|show|resize|delete}: thin volumes, named pool/volume. */
@Command(name = "volume", mixinStandardHelpOptions = true, description = "Thin volumes (pool/volume): list, create, show, resize, delete.")
public final class VolumeCommand extends ApiCommand {

    @Command(name = "list", description = "List volumes.")
    void list(@Option(names = "--pool", description = "Only this pool's volumes.") String pool) {
        String path = "api/v1/volumes" + (pool == null ? "" : "?pool=" + seg(pool));
        out().list(client().list(path), new Output.Column("NAME", v -> v.path("pool").asText() + "/" + v.path("name").asText()),
                size("SIZE", "sizeBytes"), size("USED", "mappedBytes"), text("TIER", "tier"), text("STATE", "state"));
    }

    @Command(name = "create", description = "Create a thin volume (the same volume again is not an error).")
    void create(@Parameters(paramLabel = "POOL/VOLUME") String name,
                @Option(names = {"-s", "--size"}, required = true, description = "Size: bytes or 100GiB, 512MiB, 1TB.") String size,
                @Option(names = "--tier", description = "FC, SAS or SATA (default: the pool's).") String tier) {
        Names names = Names.parseWithPool(name);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", names.volume());
        body.put("pool", names.pool());
        body.put("size", size);
        if (tier != null) {
            body.put("tier", tier);
        }
        JsonNode volume = client().post("api/v1/volumes", body);
        out().done("Volume " + name + " ready (" + Output.human(volume.path("sizeBytes").asLong()) + ").", volume);
    }

    @Command(name = "show", description = "Show a volume.")
    void show(@Parameters(paramLabel = "[POOL/]VOLUME") String name) {
        out().item(require(name), text("Name", "name"), text("Pool", "pool"), text("UUID", "uuid"), size("Size", "sizeBytes"),
                size("Used", "mappedBytes"), text("Tier", "tier"), text("State", "state"), text("Created", "created"),
                text("Origin", "origin"), text("Snapshots", "snapshots"), size("Snapshot space", "snapshotBytes"));
    }

    @Command(name = "resize", description = "Grow a volume (volumes never shrink).")
    void resize(@Parameters(paramLabel = "[POOL/]VOLUME") String name,
                @Option(names = {"-s", "--size"}, required = true, description = "New size: bytes or 200GiB.") String size) {
        JsonNode volume = require(name);
        JsonNode grown = client().put("api/v1/volumes/" + seg(volume.path("name").asText()), Map.of("size", size));
        out().done("Volume " + name + " is " + Output.human(grown.path("sizeBytes").asLong()) + ".", grown);
    }

    @Command(name = "delete", description = "Delete a volume and release its space (it must not be mapped).")
    void delete(@Parameters(paramLabel = "[POOL/]VOLUME") String name,
                @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.") boolean yes) {
        Names names = Names.parse(name);
        Confirmation.require(yes, "Delete volume " + name + " and everything on it?", err());
        if (names.pool() != null) {
            require(name);
        }
        JsonNode result = client().delete("api/v1/volumes/" + seg(names.volume()));
        out().done("Volume " + name + " deleted.", result);
    }

    /** The volume, checked against the pool when the name gives one. */
    private JsonNode require(String name) {
        Names names = Names.parse(name);
        JsonNode volume = client().get("api/v1/volumes/" + seg(names.volume()));
        if (names.pool() != null && !names.pool().equals(volume.path("pool").asText())) {
            throw new CliException(ExitCodes.NOT_FOUND, "volume " + names.volume() + " is in pool " + volume.path("pool").asText()
                    + ", not " + names.pool());
        }
        return volume;
    }
}
