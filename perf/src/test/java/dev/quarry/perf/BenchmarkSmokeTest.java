package dev.quarry.perf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.perf.iscsi.Crc32cBenchmark;
import dev.quarry.perf.iscsi.PduCodecBenchmark;
import dev.quarry.perf.volume.BlockMapBenchmark;
import dev.quarry.perf.volume.ChunkPathBenchmark;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark of the module once, in this JVM (fork 0, no warm-up, one 50 ms
 * iteration), so that {@code mvn verify} proves each one sets up, runs, tears down and leaks no
 * buffer (paranoid leak detection is on). Measures nothing.
 */
class BenchmarkSmokeTest {

    static Stream<Class<?>> benchmarks() {
        return Stream.of(PduCodecBenchmark.class, Crc32cBenchmark.class, BlockMapBenchmark.class, ChunkPathBenchmark.class);
    }

    @ParameterizedTest
    @MethodSource("benchmarks")
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldRunEveryBenchmarkMethodOnce(Class<?> benchmark) throws RunnerException {
        Options options = new OptionsBuilder()
                .include(benchmark.getName() + "\\.")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(50))
                .shouldFailOnError(true)
                .verbosity(org.openjdk.jmh.runner.options.VerboseMode.SILENT)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        long methods = Stream.of(benchmark.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(org.openjdk.jmh.annotations.Benchmark.class))
                .count();
        List<String> ran = results.stream().map(r -> r.getParams().getBenchmark()).distinct().toList();
        assertThat(ran).hasSize((int) methods);
        assertThat(results).allSatisfy(r -> assertThat(r.getPrimaryResult().getScore()).isPositive());
    }
}
