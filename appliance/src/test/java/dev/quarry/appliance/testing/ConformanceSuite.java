package dev.quarry.appliance.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs libiscsi's conformance suite ({@code iscsi-test-cu}) against a LUN and reads its verdicts.
 * A test counts as passed only when it ran to its end without being skipped: CUnit itself counts
 * a skipped test as passed, which would hide a missing command.
 */
public final class ConformanceSuite {

    private static final Pattern SUITE = Pattern.compile("^Suite: (\\S+)");
    private static final Pattern TEST = Pattern.compile("^  Test: (\\S+) \\.\\.\\.(.*)$");
    private static final Pattern SKIPPED = Pattern.compile("\\[SKIPPED\\]\\s*(.*)");
    private static final Pattern FAILED = Pattern.compile("\\[FAILED\\]\\s*(.*)");

    private ConformanceSuite() {
    }

    /** One test's verdict: {@code failure} and {@code skip} are null unless it failed or skipped. */
    public record TestResult(String name, String failure, String skip) {
        public boolean passed() {
            return failure == null && skip == null;
        }
    }

    /** Every test's verdict and the raw output. */
    public record Report(List<TestResult> tests, String output, boolean timedOut) {
        public List<TestResult> failed() {
            return tests.stream().filter(t -> t.failure() != null).toList();
        }

        public List<TestResult> skipped() {
            return tests.stream().filter(t -> t.failure() == null && t.skip() != null).toList();
        }

        public long passed() {
            return tests.stream().filter(TestResult::passed).count();
        }

        /** The closing line the project quotes: "conformance: N passed, N failed, N skipped". */
        public String summary() {
            return "conformance: " + passed() + " passed, " + failed().size() + " failed, " + skipped().size() + " skipped";
        }

        /** Every failure and skip with its reason, then the summary. */
        public String details() {
            StringBuilder text = new StringBuilder();
            failed().forEach(t -> text.append("FAIL ").append(t.name()).append(": ").append(t.failure()).append('\n'));
            skipped().forEach(t -> text.append("SKIP ").append(t.name()).append(": ").append(t.skip()).append('\n'));
            return text.append(summary()).toString();
        }
    }

    /**
     * Runs {@code iscsi-test-cu --dataloss [--allow-sanitize] --test=FILTER URL [URL2]}, bounded
     * by {@code limit}. The LUN's contents are destroyed.
     */
    public static Report run(String filter, boolean allowSanitize, Duration limit, String url, String secondUrl)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("iscsi-test-cu", "--dataloss"));
        if (allowSanitize) {
            command.add("--allow-sanitize");
        }
        command.add("--test=" + filter);
        command.add(url);
        if (secondUrl != null) {
            command.add(secondUrl);
        }
        ExternalTool.Result result = ExternalTool.run(limit, command);
        return new Report(parse(result.output()), result.output(), result.timedOut());
    }

    /** Reads CUnit's verbose output: "Suite: X", "  Test: Y ...", with [SKIPPED]/[FAILED] markers. */
    static List<TestResult> parse(String output) {
        List<MutableResult> results = new ArrayList<>();
        String suite = null;
        MutableResult current = null;
        for (String line : output.split("\n", -1)) {
            Matcher suiteMatch = SUITE.matcher(line);
            if (suiteMatch.find()) {
                suite = suiteMatch.group(1);
                continue;
            }
            Matcher testMatch = TEST.matcher(line);
            String rest = line;
            if (testMatch.find()) {
                current = new MutableResult(suite + "." + testMatch.group(1));
                results.add(current);
                rest = testMatch.group(2);
            }
            if (current != null) {
                current.note(rest);
            }
        }
        return results.stream().map(MutableResult::freeze).toList();
    }

    private static final class MutableResult {
        private final String name;
        private String failure;
        private String skip;

        MutableResult(String name) {
            this.name = name;
        }

        void note(String line) {
            Matcher skipped = SKIPPED.matcher(line);
            if (skipped.find() && skip == null) {
                skip = skipped.group(1).isBlank() ? "skipped" : skipped.group(1).trim();
            }
            Matcher failed = FAILED.matcher(line);
            if (failed.find() && failure == null) {
                failure = failed.group(1).isBlank() ? "failed" : failed.group(1).trim();
            }
            if (line.trim().equals("FAILED") && failure == null) {
                failure = "failed";
            }
        }

        TestResult freeze() {
            return new TestResult(name, failure, skip);
        }
    }
}
