package dev.quarry.iscsi.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.iscsi.pdu.Bhs;
import dev.quarry.iscsi.pdu.DataInPdu;
import dev.quarry.iscsi.pdu.DataOutPdu;
import dev.quarry.iscsi.pdu.InitiatorPdu;
import dev.quarry.iscsi.pdu.LoginRequestPdu;
import dev.quarry.iscsi.pdu.LoginResponsePdu;
import dev.quarry.iscsi.pdu.LogoutRequestPdu;
import dev.quarry.iscsi.pdu.LogoutResponsePdu;
import dev.quarry.iscsi.pdu.NopOutPdu;
import dev.quarry.iscsi.pdu.Opcode;
import dev.quarry.iscsi.pdu.ScsiCommandPdu;
import dev.quarry.iscsi.pdu.ScsiResponsePdu;
import dev.quarry.iscsi.pdu.SnackRequestPdu;
import dev.quarry.iscsi.pdu.TargetPdu;
import dev.quarry.iscsi.pdu.TaskManagementRequestPdu;
import dev.quarry.iscsi.pdu.TextRequestPdu;
import dev.quarry.iscsi.pdu.TextResponsePdu;
import dev.quarry.iscsi.testing.PduFixtures;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The initiator side's pipeline ({@link IscsiFrameDecoder} + {@link IscsiClientCodec}): golden
 * target PDUs from tgtd traces decoded whatever the network batching, initiator PDUs that the
 * target's own decoder reads back equal (with and without digests), golden initiator PDUs encoded
 * byte for byte, and every decoding error closing the connection.
 */
class IscsiClientCodecTest {

    private final DigestSettings digests = DigestSettings.none();
    private final IscsiFrameDecoder frames = new IscsiFrameDecoder(digests, 262144);
    private final EmbeddedChannel channel = new EmbeddedChannel(frames, new IscsiClientCodec(digests));

    @AfterEach
    void finish() {
        channel.finishAndReleaseAll();
    }

    static Stream<Arguments> targetFixtures() {
        List<Arguments> cases = new ArrayList<>();
        for (String name : new String[] {"login-response-chap-challenge", "text-response-sendtargets",
            "scsi-response-unit-attention", "data-in-read10-status", "logout-response"}) {
            for (int chunk : new int[] {Integer.MAX_VALUE, 1, 5}) {
                cases.add(Arguments.of(name, chunk));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} in chunks of {1}")
    @MethodSource("targetFixtures")
    void shouldDecodeGoldenTargetPdusWhateverTheNetworkBatching(String name, int chunk) {
        byte[] bytes = PduFixtures.load(name);
        feed(bytes, chunk);
        TargetPdu decoded = channel.readInbound();
        TargetPdu expected = TargetPduLayout.read(Opcode.of(bytes[0]), Unpooled.wrappedBuffer(bytes),
                Unpooled.wrappedBuffer(bytes, Bhs.LENGTH, bytes.length - Bhs.LENGTH).slice(0,
                        Unpooled.wrappedBuffer(bytes).getUnsignedMedium(Bhs.DATA_SEGMENT_LENGTH_OFFSET)));
        try {
            assertThat(decoded).isEqualTo(expected);
            assertThat((Object) channel.readInbound()).isNull();
        } finally {
            ReferenceCountUtil.release(decoded);
            ReferenceCountUtil.release(expected);
        }
    }

    @Test
    void shouldDecodeDataInWithStatusFromTgtd() {
        feed(PduFixtures.load("data-in-read10-status"), Integer.MAX_VALUE);
        DataInPdu dataIn = channel.readInbound();
        try {
            assertThat(dataIn.statusPresent()).isTrue();
            assertThat(dataIn.finalPdu()).isTrue();
            assertThat(dataIn.data().readableBytes()).isEqualTo(8192);
            assertThat(dataIn.data().getByte(0)).isEqualTo((byte) 0x5a);
        } finally {
            dataIn.release();
        }
    }

    static Stream<Arguments> initiatorPdus() {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) 0x8A;
        byte[] longCdb = new byte[32];
        longCdb[0] = 0x7F;
        return Stream.<Supplier<InitiatorPdu>>of(
                () -> new NopOutPdu(true, 0, 1, Bhs.RESERVED_TAG, 5, 6, text("ping")),
                () -> new ScsiCommandPdu(false, true, false, true, 1, 1L << 48, 2, 4096, 7, 8, cdb, -1, text("immediate")),
                () -> new ScsiCommandPdu(false, true, true, false, 1, 0, 3, 512, 9, 10, longCdb, -1, Unpooled.EMPTY_BUFFER),
                () -> new DataOutPdu(true, 0, 4, 0x77, 11, 2, 8192, text("payload!")),
                () -> new LoginRequestPdu(true, false, 1, 3, 0, 0, 0x80_1234_5678_9AL, 0, 5, 0, 12, 13,
                        text("InitiatorName=iqn.2026-11.dev.quarry:x\0")),
                () -> new TextRequestPdu(true, true, false, 0, 6, Bhs.RESERVED_TAG, 14, 15, Unpooled.EMPTY_BUFFER),
                () -> new LogoutRequestPdu(true, LogoutRequestPdu.CLOSE_SESSION, 7, 0, 16, 17),
                () -> new TaskManagementRequestPdu(true, 1, 0, 8, 3, 18, 19, 20, 0),
                () -> new SnackRequestPdu(0, 0, 9, Bhs.RESERVED_TAG, 21, 0, 0))
                .flatMap(pdu -> Stream.of(Arguments.of(pdu, false), Arguments.of(pdu, true)));
    }

    @ParameterizedTest(name = "{0} digests={1}")
    @MethodSource("initiatorPdus")
    void shouldEncodeInitiatorPdusTheTargetDecodesUnchanged(Supplier<InitiatorPdu> factory, boolean withDigests) {
        digests.enable(withDigests, withDigests);
        InitiatorPdu expected = factory.get();
        channel.writeOutbound(factory.get());
        ByteBuf wire = drainOutbound();
        DigestSettings targetDigests = DigestSettings.none();
        targetDigests.enable(withDigests, withDigests);
        EmbeddedChannel target = new EmbeddedChannel(new IscsiFrameDecoder(targetDigests, 262144),
                new IscsiServerCodec(targetDigests));
        try {
            target.writeInbound(wire);
            Object decoded = target.readInbound();
            try {
                assertThat(decoded).isEqualTo(expected);
            } finally {
                ReferenceCountUtil.release(decoded);
            }
        } finally {
            ReferenceCountUtil.release(expected);
            target.finishAndReleaseAll();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"login-request-chap-response", "login-request-qemu", "scsi-command-write10-immediate",
        "scsi-command-read10", "scsi-command-synchronize-cache10", "logout-request"})
    void shouldReproduceGoldenInitiatorPdusByteForByte(String name) {
        byte[] golden = PduFixtures.load(name);
        EmbeddedChannel target = new EmbeddedChannel(new IscsiFrameDecoder(DigestSettings.none(), 262144),
                new IscsiServerCodec(DigestSettings.none()));
        try {
            target.writeInbound(Unpooled.wrappedBuffer(golden));
            channel.writeOutbound((InitiatorPdu) target.readInbound());
            ByteBuf wire = drainOutbound();
            try {
                assertThat(ByteBufUtil.hexDump(wire)).isEqualTo(ByteBufUtil.hexDump(golden));
            } finally {
                wire.release();
            }
        } finally {
            target.finishAndReleaseAll();
        }
    }

    @Test
    void shouldSendDataOutPayloadWithoutCopy() {
        ByteBuf payload = Unpooled.directBuffer(8192).writeZero(8192);
        channel.writeOutbound(new DataOutPdu(true, 0, 1, 2, 3, 0, 0, payload));
        ByteBuf header = channel.readOutbound();
        ByteBuf data = channel.readOutbound();
        try {
            assertThat(header.capacity()).as("exactly-sized header").isEqualTo(Bhs.LENGTH);
            assertThat(data).as("the payload itself").isSameAs(payload);
            assertThat((Object) channel.readOutbound()).isNull();
        } finally {
            header.release();
            data.release();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, Bhs.LENGTH + 4 + 2})
    void shouldCloseOnDigestMismatchAndDropWhatFollows(int corruptAt) {
        TargetPdu response = new ScsiResponsePdu(false, false, false, false, 0, 0, 1, 0, 2, 3, 4, 0, 0, 0, text("sense"));
        ByteBuf wire = encodeTarget(response, true);
        wire.setByte(corruptAt, wire.getByte(corruptAt) ^ 0x01);
        digests.enable(true, true);
        ByteBuf good = encodeTarget(new TextResponsePdu(true, false, 0, 1, Bhs.RESERVED_TAG, 1, 2, 3, Unpooled.EMPTY_BUFFER), true);
        channel.writeInbound(Unpooled.wrappedBuffer(wire, good));
        PduDecodeError error = channel.readInbound();
        assertThat(error.closeConnection()).isTrue();
        assertThat(error.detail()).contains("digest mismatch");
        assertThat((Object) channel.readInbound()).as("frames after the error are dropped").isNull();
    }

    @Test
    void shouldRefuseAnInitiatorOpcodeFromTheTarget() {
        channel.writeInbound(Unpooled.wrappedBuffer(encodeInitiatorBytes(new NopOutPdu(true, 0, 1, Bhs.RESERVED_TAG, 0, 0,
                Unpooled.EMPTY_BUFFER))));
        PduDecodeError error = channel.readInbound();
        assertThat(error.closeConnection()).isTrue();
        assertThat(error.detail()).contains("NOP_OUT");
    }

    @Test
    void shouldRefuseADataSegmentAboveWhatWeDeclared() {
        frames.maxDataSegmentLength(8192);
        ByteBuf big = encodeTarget(new TextResponsePdu(true, false, 0, 1, Bhs.RESERVED_TAG, 1, 2, 3,
                Unpooled.wrappedBuffer(new byte[8196])), false);
        channel.writeInbound(big);
        PduDecodeError error = channel.readInbound();
        assertThat(error.closeConnection()).isTrue();
    }

    @Test
    void shouldDecodeALoginResponseWithItsText() {
        channel.writeInbound(encodeTarget(new LoginResponsePdu(true, false, 1, 3, 0, 0, 0x80_0000_0001L, 5, 1, 2, 3, 4, 0, 0,
                text("MaxRecvDataSegmentLength=8192\0")), false));
        channel.writeInbound(encodeTarget(new LogoutResponsePdu(0, 9, 1, 2, 3, 2, 0), false));
        LoginResponsePdu login = channel.readInbound();
        LogoutResponsePdu logout = channel.readInbound();
        try {
            assertThat(login.tsih()).isEqualTo(5);
            assertThat(login.data().toString(StandardCharsets.US_ASCII)).isEqualTo("MaxRecvDataSegmentLength=8192\0");
            assertThat(logout.initiatorTaskTag()).isEqualTo(9);
        } finally {
            login.release();
        }
    }

    private void feed(byte[] bytes, int chunk) {
        for (int at = 0; at < bytes.length; at += chunk) {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, at, Math.min(chunk, bytes.length - at)));
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

    /** {@code pdu} as the target's encoder writes it (takes ownership). */
    private static ByteBuf encodeTarget(TargetPdu pdu, boolean withDigests) {
        DigestSettings settings = DigestSettings.none();
        settings.enable(withDigests, withDigests);
        EmbeddedChannel target = new EmbeddedChannel(new PduEncoder(settings));
        target.writeOutbound(pdu);
        ByteBuf all = Unpooled.buffer();
        for (Object m = target.readOutbound(); m != null; m = target.readOutbound()) {
            all.writeBytes((ByteBuf) m);
            ((ByteBuf) m).release();
        }
        target.finishAndReleaseAll();
        return all;
    }

    private static byte[] encodeInitiatorBytes(InitiatorPdu pdu) {
        EmbeddedChannel encoder = new EmbeddedChannel(new InitiatorPduEncoder(DigestSettings.none()));
        encoder.writeOutbound(pdu);
        ByteBuf all = Unpooled.buffer();
        for (Object m = encoder.readOutbound(); m != null; m = encoder.readOutbound()) {
            all.writeBytes((ByteBuf) m);
            ((ByteBuf) m).release();
        }
        encoder.finishAndReleaseAll();
        byte[] bytes = ByteBufUtil.getBytes(all);
        all.release();
        return bytes;
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }
}
