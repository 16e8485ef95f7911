package dev.quarry.iscsi.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.iscsi.pdu.AsyncMessagePdu;
import dev.quarry.iscsi.pdu.Bhs;
import dev.quarry.iscsi.pdu.DataInPdu;
import dev.quarry.iscsi.pdu.LoginResponsePdu;
import dev.quarry.iscsi.pdu.LogoutResponsePdu;
import dev.quarry.iscsi.pdu.NopInPdu;
import dev.quarry.iscsi.pdu.Opcode;
import dev.quarry.iscsi.pdu.R2tPdu;
import dev.quarry.iscsi.pdu.RejectPdu;
import dev.quarry.iscsi.pdu.ScsiResponsePdu;
import dev.quarry.iscsi.pdu.TargetPdu;
import dev.quarry.iscsi.pdu.TaskManagementResponsePdu;
import dev.quarry.iscsi.pdu.TextResponsePdu;
import dev.quarry.iscsi.testing.PduFixtures;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PduEncoderTest {

    private final DigestSettings digests = DigestSettings.none();
    private final EmbeddedChannel channel = new EmbeddedChannel(new PduEncoder(digests));

    @AfterEach
    void finish() {
        channel.finishAndReleaseAll();
    }

    @ParameterizedTest
    @ValueSource(strings = {"login-response-chap-challenge", "text-response-sendtargets", "scsi-response-unit-attention",
        "data-in-read10-status", "logout-response"})
    void shouldReproduceGoldenTargetPduByteForByte(String name) {
        byte[] golden = PduFixtures.load(name);
        TargetPdu pdu = decode(Unpooled.wrappedBuffer(golden), false, false);
        channel.writeOutbound(pdu);
        ByteBuf wire = drainOutbound();
        try {
            assertThat(ByteBufUtil.hexDump(wire)).isEqualTo(ByteBufUtil.hexDump(golden));
        } finally {
            wire.release();
        }
    }

    @Test
    void shouldPassDataInPayloadWithoutCopy() {
        ByteBuf payload = Unpooled.directBuffer(4096).writeZero(4096);
        channel.writeOutbound(new DataInPdu(true, false, false, false, true, 0, 0, 7, Bhs.RESERVED_TAG, 3, 4, 5, 0, 0, 0,
                payload));
        ByteBuf header = channel.readOutbound();
        ByteBuf data = channel.readOutbound();
        try {
            assertThat(header.readableBytes()).isEqualTo(Bhs.LENGTH);
            assertThat(header.capacity()).as("exactly-sized header").isEqualTo(Bhs.LENGTH);
            assertThat(data).as("the payload itself").isSameAs(payload);
            assertThat((Object) channel.readOutbound()).as("4096 needs no padding").isNull();
        } finally {
            header.release();
            data.release();
        }
    }

    @Test
    void shouldPadDataSegmentAndAppendDigestsOverPadding() {
        digests.enable(true, true);
        ByteBuf sense = Unpooled.copiedBuffer("sense", StandardCharsets.US_ASCII);
        channel.writeOutbound(new ScsiResponsePdu(false, false, false, true, 0, 2, 9, 0, 1, 2, 3, 0, 0, 512, sense));
        ByteBuf wire = drainOutbound();
        try {
            assertThat(wire.readableBytes()).isEqualTo(Bhs.LENGTH + 4 + 8 + 4);
            assertThat(wire.getIntLE(Bhs.LENGTH)).isEqualTo(Crc32c.of(wire, 0, Bhs.LENGTH));
            assertThat(wire.getByte(Bhs.LENGTH + 4 + 5)).as("zero padding").isZero();
            assertThat(wire.getIntLE(Bhs.LENGTH + 4 + 8)).isEqualTo(Crc32c.of(wire, Bhs.LENGTH + 4, 8));
            TargetPdu decoded = decode(wire.retainedDuplicate(), true, true);
            assertThat(decoded).isInstanceOf(ScsiResponsePdu.class);
            ReferenceCountUtil.release(decoded);
        } finally {
            wire.release();
        }
    }

    static Stream<Arguments> targetPdus() {
        return Stream.<Supplier<TargetPdu>>of(
                () -> new NopInPdu(5L << 48, 11, Bhs.RESERVED_TAG, 1, 2, 3, text("ping")),
                () -> new ScsiResponsePdu(true, false, true, false, 0, 2, 12, 0, 100, 200, 300, 4, 8, 512, text("ss")),
                () -> new TaskManagementResponsePdu(1, 13, 0xFFFF_FFF0, 0xFFFF_FFFF, 0x10),
                () -> new LoginResponsePdu(true, false, 1, 3, 0, 0, 0x80631ca00000L, 0x1234, 14, 7, 8, 9, 0x02, 0x01,
                        text("TargetPortalGroupTag=1\0")),
                () -> new TextResponsePdu(false, true, 0, 15, 77, 1, 2, 3, text("TargetName=x\0")),
                () -> new DataInPdu(true, false, false, true, true, 0, 1, 16, Bhs.RESERVED_TAG, 5, 6, 7, 2, 8192, 4096,
                        text("data")),
                () -> new LogoutResponsePdu(0, 17, 1, 2, 3, 2, 20),
                () -> new R2tPdu(2, 18, 99, 4, 5, 6, 1, 65536, 262144),
                () -> new AsyncMessagePdu(3, 7, 8, 9, 1, 0, 0, 0, 5, Unpooled.EMPTY_BUFFER),
                () -> new RejectPdu(9, 1, 2, 3, 0, Unpooled.wrappedBuffer(new byte[Bhs.LENGTH])))
                .flatMap(pdu -> Stream.of(Arguments.of(pdu, false), Arguments.of(pdu, true)));
    }

    @ParameterizedTest(name = "{0} digests={1}")
    @MethodSource("targetPdus")
    void shouldRoundTripEveryTargetPdu(Supplier<TargetPdu> factory, boolean withDigests) {
        digests.enable(withDigests, withDigests);
        TargetPdu original = factory.get();
        TargetPdu expected = factory.get();
        channel.writeOutbound(original);
        ByteBuf wire = drainOutbound();
        TargetPdu decoded = decode(wire, withDigests, withDigests);
        try {
            assertThat(decoded).isEqualTo(expected);
        } finally {
            ReferenceCountUtil.release(decoded);
            ReferenceCountUtil.release(expected);
        }
    }

    private ByteBuf drainOutbound() {
        ByteBuf all = Unpooled.buffer();
        for (Object m = channel.readOutbound(); m != null; m = channel.readOutbound()) {
            ByteBuf part = (ByteBuf) m;
            all.writeBytes(part);
            part.release();
        }
        return all;
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    /** Decodes one target PDU from a whole frame (takes ownership), checking digests when asked. */
    static TargetPdu decode(ByteBuf frame, boolean headerDigest, boolean dataDigest) {
        try {
            int dsl = frame.getUnsignedMedium(Bhs.DATA_SEGMENT_LENGTH_OFFSET);
            int dataOffset = Bhs.LENGTH + (headerDigest ? 4 : 0);
            if (headerDigest) {
                assertThat(frame.getIntLE(Bhs.LENGTH)).isEqualTo(Crc32c.of(frame, 0, Bhs.LENGTH));
            }
            if (dataDigest && dsl > 0) {
                int padded = Bhs.padded(dsl);
                assertThat(frame.getIntLE(dataOffset + padded)).isEqualTo(Crc32c.of(frame, dataOffset, padded));
            }
            return TargetPduLayout.read(Opcode.of(frame.getByte(0)), frame, frame.retainedSlice(dataOffset, dsl));
        } finally {
            frame.release();
        }
    }
}
