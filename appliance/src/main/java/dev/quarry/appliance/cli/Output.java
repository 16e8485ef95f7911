package dev.quarry.appliance.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * What commands print: aligned tables (one row per item, sizes in human units) or, with
 * {@code --json}, the API's JSON as it came.
 *
 * <p>Not thread-safe; one per command invocation.
 */
public final class Output {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    /** A column: its heading and how a cell is drawn from an item. */
    public record Column(String heading, Function<JsonNode, String> cell) {
    }

    private final PrintWriter out;
    private final boolean json;

    public Output(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    public static Column text(String heading, String field) {
        return new Column(heading, item -> item.path(field).isMissingNode() || item.path(field).isNull() ? "-" : item.path(field).asText());
    }

    public static Column size(String heading, String field) {
        return new Column(heading, item -> human(item.path(field).asLong()));
    }

    /** 1073741824 is "1.0 GiB", 4096 is "4.0 KiB", 100 is "100 B". */
    public static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }

    /** A list: a table of {@code columns}, or the JSON array. */
    public void list(JsonNode items, Column... columns) {
        if (json) {
            print(items);
            return;
        }
        List<String[]> rows = new ArrayList<>();
        String[] headings = new String[columns.length];
        for (int i = 0; i < columns.length; i++) {
            headings[i] = columns[i].heading();
        }
        rows.add(headings);
        for (JsonNode item : items) {
            String[] row = new String[columns.length];
            for (int i = 0; i < columns.length; i++) {
                row[i] = columns[i].cell().apply(item);
            }
            rows.add(row);
        }
        table(rows);
    }

    /** One item: "key: value" lines of {@code columns}, or its JSON. */
    public void item(JsonNode item, Column... columns) {
        if (json) {
            print(item);
            return;
        }
        int width = 0;
        for (Column column : columns) {
            width = Math.max(width, column.heading().length());
        }
        for (Column column : columns) {
            out.println(pad(column.heading() + ":", width + 1) + " " + column.cell().apply(item));
        }
        out.flush();
    }

    /** A sentence for people, or the JSON for scripts. */
    public void done(String message, JsonNode result) {
        if (json) {
            print(result);
        } else {
            out.println(message);
            out.flush();
        }
    }

    public void print(JsonNode node) {
        try {
            out.println(JSON.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree always serialises", e);
        }
        out.flush();
    }

    private void table(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : pad(row[i], widths[i] + 2));
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }
}
