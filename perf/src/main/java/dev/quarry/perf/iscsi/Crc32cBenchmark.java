package dev.quarry.perf.iscsi;

import dev.quarry.iscsi.codec.Crc32c;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * CRC32C digests as the codec computes them ({@link Crc32c} over a pooled buffer): a 48-byte
 * header, a 4 KiB block and a 128 KiB data segment, from direct and heap memory.
 *
 * <p>Not thread-safe; JMH gives each thread its own state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Crc32cBenchmark {

    @Param({"48", "4096", "131072"})
    public int size;

    @Param({"direct", "heap"})
    public String memory;

    private ByteBuf buf;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        ByteBuf b = "direct".equals(memory) ? ByteBufAllocator.DEFAULT.directBuffer(size) : ByteBufAllocator.DEFAULT.heapBuffer(size);
        buf = b.writeBytes(bytes);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        buf.release();
    }

    @Benchmark
    public int digest() {
        return Crc32c.of(buf, 0, size);
    }
}
