package dev.quarry.appliance.cli;

import static dev.quarry.appliance.cli.Output.size;
import static dev.quarry.appliance.cli.Output.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.appliance.config.ByteSizeConverter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code quarry pool list|create|show|delete}: storage pools. */
@Command(name = "pool", mixinStandardHelpOptions = true, description = "Storage pools: list, create, show, delete.")
public final class PoolCommand extends ApiCommand {

    private static final Output.Column[] COLUMNS = {text("NAME", "name"), size("CAPACITY", "capacityBytes"), size("USED", "usedBytes"),
        text("DISKS", "disks"), text("TIER", "defaultTier"), size("SEGMENT", "segmentSize")};

    @Command(name = "list", description = "List pools.")
    void list() {
        out().list(client().list("api/v1/pools"), COLUMNS);
    }

    @Command(name = "create", description = "Create a pool (the same pool again is not an error).")
    void create(@Parameters(paramLabel = "POOL") String name,
                @Option(names = "--segment-size", converter = ByteSizeConverter.class, description = "Segment size (default 32MiB).")
                Long segmentSize,
                @Option(names = "--soft-threshold", description = "Used % that raises a warning to hosts (default 80).") Integer soft,
                @Option(names = "--hard-limit", description = "Used % beyond which writes needing space fail (default 95).") Integer hard,
                @Option(names = "--tier", description = "Default tier of its volumes: FC, SAS, SATA (default SAS).") String tier) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("segmentSize", segmentSize);
        body.put("softThresholdPercent", soft);
        body.put("hardLimitPercent", hard);
        body.put("defaultTier", tier);
        body.values().removeIf(java.util.Objects::isNull);
        JsonNode pool = client().post("api/v1/pools", body);
        out().done("Pool " + name + " ready.", pool);
    }

    @Command(name = "show", description = "Show a pool and its space.")
    void show(@Parameters(paramLabel = "POOL") String name) {
        out().item(client().get("api/v1/pools/" + seg(name)), text("Name", "name"), text("UUID", "uuid"),
                size("Capacity", "capacityBytes"), size("Used", "usedBytes"), size("Physically used", "physicalUsedBytes"),
                text("Free segments", "freeSegments"), text("Disks", "disks"), size("Segment size", "segmentSize"),
                text("Soft threshold %", "softThresholdPercent"), text("Hard limit %", "hardLimitPercent"),
                text("Default tier", "defaultTier"), text("Created", "created"));
    }

    @Command(name = "delete", description = "Delete an empty pool and release its disks (it must have no volumes).")
    void delete(@Parameters(paramLabel = "POOL") String name,
                @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.") boolean yes) {
        Confirmation.require(yes, "Delete pool " + name + " and release its disks?", err());
        JsonNode result = client().delete("api/v1/pools/" + seg(name));
        out().done("Pool " + name + " deleted.", result);
    }
}
