package dev.quarry.perf.iscsi;

import dev.quarry.iscsi.codec.DigestSettings;
import dev.quarry.iscsi.codec.InitiatorPduEncoder;
import dev.quarry.iscsi.codec.IscsiFrameDecoder;
import dev.quarry.iscsi.codec.PduDecoder;
import dev.quarry.iscsi.codec.PduEncoder;
import dev.quarry.iscsi.pdu.DataInPdu;
import dev.quarry.iscsi.pdu.ScsiCommandPdu;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The target's PDU codec as it runs in the pipeline: a SCSI Command with immediate write data
 * through {@link IscsiFrameDecoder} + {@link PduDecoder}, and a Data-In through
 * {@link PduEncoder}, with and without CRC32C header and data digests.
 *
 * <p>Not thread-safe; JMH gives each thread its own state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PduCodecBenchmark {

    /** Bytes of write data (immediate) or read data (Data-In) per PDU. */
    @Param({"4096", "65536"})
    public int payload;

    /** Whether HeaderDigest and DataDigest are CRC32C. */
    @Param({"false", "true"})
    public boolean digests;

    private EmbeddedChannel decoder;
    private EmbeddedChannel encoder;
    private ByteBuf frame;
    private ByteBuf readData;

    @Setup(Level.Trial)
    public void setUp() {
        DigestSettings settings = DigestSettings.none();
        settings.enable(digests, digests);
        decoder = new EmbeddedChannel(new IscsiFrameDecoder(settings, 1 << 20), new PduDecoder(settings));
        encoder = new EmbeddedChannel(new PduEncoder(settings));
        frame = encodedWriteCommand(settings, payload);
        readData = ByteBufAllocator.DEFAULT.directBuffer(payload).writeZero(payload);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        decoder.finishAndReleaseAll();
        encoder.finishAndReleaseAll();
        frame.release();
        readData.release();
    }

    /** One 48-byte header plus {@code payload} bytes of immediate data, decoded to a ScsiCommandPdu. */
    @Benchmark
    public void decodeWriteCommand(Blackhole sink) {
        decoder.writeInbound(frame.retainedDuplicate());
        Object pdu = decoder.readInbound();
        sink.consume(pdu);
        ReferenceCountUtil.release(pdu);
    }

    /** A final Data-In with status carrying {@code payload} bytes, encoded to its wire buffers. */
    @Benchmark
    public void encodeDataIn(Blackhole sink) {
        DataInPdu pdu = new DataInPdu(true, false, false, false, true, 0, 0, 7, -1, 11, 12, 44, 0, 0, 0,
                readData.retainedDuplicate());
        encoder.writeOutbound(pdu);
        for (Object out = encoder.readOutbound(); out != null; out = encoder.readOutbound()) {
            sink.consume(out);
            ReferenceCountUtil.release(out);
        }
    }

    /** The wire bytes of a WRITE(10) command of {@code payload} bytes, all immediate. */
    private static ByteBuf encodedWriteCommand(DigestSettings settings, int payload) {
        byte[] cdb = new byte[16];
        cdb[0] = 0x2A;
        cdb[8] = (byte) (payload / 512);
        cdb[7] = (byte) (payload / 512 >> 8);
        ByteBuf data = ByteBufAllocator.DEFAULT.directBuffer(payload).writeZero(payload);
        ScsiCommandPdu command = new ScsiCommandPdu(false, true, false, true, 1, 0, 7, payload, 1, 1, cdb, -1, data);
        EmbeddedChannel channel = new EmbeddedChannel(new InitiatorPduEncoder(settings));
        channel.writeOutbound(command);
        CompositeByteBuf parts = Unpooled.compositeBuffer();
        for (ByteBuf part = channel.readOutbound(); part != null; part = channel.readOutbound()) {
            parts.addComponent(true, part);
        }
        channel.finishAndReleaseAll();
        ByteBuf wire = ByteBufAllocator.DEFAULT.directBuffer(parts.readableBytes()).writeBytes(parts);
        parts.release();
        return wire;
    }
}
