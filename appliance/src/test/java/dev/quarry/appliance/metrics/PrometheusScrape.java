package dev.quarry.appliance.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A parsed Prometheus text exposition (format 0.0.4), for assertions: samples by name and labels. */
record PrometheusScrape(List<Sample> samples) {

    /** One line: metric name, labels, value. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    static PrometheusScrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = brace >= 0 ? line.indexOf(' ', line.lastIndexOf('}')) : line.indexOf(' ');
            String name = line.substring(0, brace >= 0 ? brace : space);
            Map<String, String> labels = brace >= 0 ? labels(line.substring(brace + 1, line.lastIndexOf('}'))) : Map.of();
            String value = line.substring(space + 1).trim().split(" ")[0];
            samples.add(new Sample(name, labels, Double.parseDouble(value)));
        }
        return new PrometheusScrape(samples);
    }

    private static Map<String, String> labels(String body) {
        Map<String, String> labels = new LinkedHashMap<>();
        int i = 0;
        while (i < body.length()) {
            int eq = body.indexOf('=', i);
            String key = body.substring(i, eq).trim();
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            for (; body.charAt(j) != '"'; j++) {
                char c = body.charAt(j);
                if (c == '\\') {
                    c = body.charAt(++j) == 'n' ? '\n' : body.charAt(j);
                }
                value.append(c);
            }
            labels.put(key, value.toString());
            i = j + 1;
            while (i < body.length() && (body.charAt(i) == ',' || body.charAt(i) == ' ')) {
                i++;
            }
        }
        return labels;
    }

    /** Every metric name with at least one sample. */
    Set<String> names() {
        Set<String> names = new TreeSet<>();
        samples.forEach(s -> names.add(s.name()));
        return names;
    }

    /** The value of the one sample of {@code name} whose labels include {@code labelPairs}; fails when not exactly one. */
    double value(String name, String... labelPairs) {
        List<Sample> matching = samples.stream().filter(s -> s.name().equals(name) && matches(s, labelPairs)).toList();
        if (matching.size() != 1) {
            throw new AssertionError(matching.size() + " samples of " + name + " with " + String.join(",", labelPairs)
                    + ": " + matching);
        }
        return matching.get(0).value();
    }

    /** The values label {@code label} takes on samples of {@code name}. */
    Set<String> labelValues(String name, String label) {
        Set<String> values = new TreeSet<>();
        samples.stream().filter(s -> s.name().equals(name) && s.labels().containsKey(label))
                .forEach(s -> values.add(s.labels().get(label)));
        return values;
    }

    private static boolean matches(Sample sample, String... labelPairs) {
        for (int i = 0; i < labelPairs.length; i += 2) {
            if (!labelPairs[i + 1].equals(sample.labels().get(labelPairs[i]))) {
                return false;
            }
        }
        return true;
    }
}
