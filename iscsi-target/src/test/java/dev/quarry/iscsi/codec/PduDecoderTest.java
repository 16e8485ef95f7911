package dev.quarry.iscsi.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.quarry.iscsi.pdu.Bhs;
import dev.quarry.iscsi.pdu.DataOutPdu;
import dev.quarry.iscsi.pdu.LoginRequestPdu;
import dev.quarry.iscsi.pdu.LogoutRequestPdu;
import dev.quarry.iscsi.pdu.Opcode;
import dev.quarry.iscsi.pdu.RejectReason;
import dev.quarry.iscsi.pdu.ScsiCommandPdu;
import dev.quarry.iscsi.pdu.TaskManagementRequestPdu;
import dev.quarry.iscsi.pdu.TextRequestPdu;
import dev.quarry.iscsi.testing.PduFixtures;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PduDecoderTest {

    private final DigestSettings digests = DigestSettings.none();
    private final IscsiFrameDecoder frames = new IscsiFrameDecoder(digests, 262144);
    private final EmbeddedChannel channel = new EmbeddedChannel(frames, new IscsiServerCodec(digests));

    @AfterEach
    void finish() {
        channel.finishAndReleaseAll();
    }

    static Stream<Arguments> initiatorFixtures() {
        List<Arguments> cases = new ArrayList<>();
        String[] names = {"login-request-chap-security", "login-request-chap-algorithm", "login-request-chap-response",
            "login-request-chap-operational", "login-request-discovery", "text-request-sendtargets-all",
            "login-request-qemu", "scsi-command-inquiry-vpd83", "scsi-command-write10-immediate", "scsi-command-read10",
            "scsi-command-synchronize-cache10", "logout-request"};
        for (String name : names) {
            for (int chunk : new int[] {Integer.MAX_VALUE, 1, 5}) {
                cases.add(Arguments.of(name, chunk));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} in chunks of {1}")
    @MethodSource("initiatorFixtures")
    void shouldDecodeGoldenFixtureWhateverTheNetworkBatching(String name, int chunk) {
        byte[] bytes = PduFixtures.load(name);
        feed(bytes, chunk);
        Object decoded = channel.readInbound();
        try {
            assertThat(decoded).isInstanceOf(dev.quarry.iscsi.pdu.InitiatorPdu.class);
            assertThat(((dev.quarry.iscsi.pdu.InitiatorPdu) decoded).opcode().code()).isEqualTo(bytes[0] & 0x3F);
            assertThat((Object) channel.readInbound()).isNull();
        } finally {
            ReferenceCountUtil.release(decoded);
        }
    }

    @Test
    void shouldDecodeChapResponseLoginFromLibiscsi() {
        channel.writeInbound(Unpooled.wrappedBuffer(PduFixtures.load("login-request-chap-response")));
        LoginRequestPdu login = channel.readInbound();
        try {
            assertThat(login.transit()).isTrue();
            assertThat(login.currentStage()).isZero();
            assertThat(login.nextStage()).isEqualTo(1);
            assertThat(login.isid()).isEqualTo(0x80631ca00000L);
            assertThat(login.tsih()).isZero();
            assertThat(login.initiatorTaskTag()).isEqualTo(0x7c184ec7);
            assertThat(login.cmdSn()).isEqualTo(0x100e690c);
            assertThat(login.data().toString(StandardCharsets.US_ASCII))
                    .isEqualTo("CHAP_N=quarryuser\0CHAP_R=0x81BAF90AB26C7DA438B2B1A9A602FD9A\0");
        } finally {
            login.release();
        }
    }

    @Test
    void shouldHandImmediateDataOverAsSliceOfTheFrame() {
        channel.writeInbound(Unpooled.wrappedBuffer(PduFixtures.load("scsi-command-write10-immediate")));
        ScsiCommandPdu command = channel.readInbound();
        try {
            assertThat(command.write()).isTrue();
            assertThat(command.finalPdu()).isTrue();
            assertThat(command.attr()).isEqualTo(1);
            assertThat(command.expectedDataTransferLength()).isEqualTo(8192);
            assertThat(command.cdb()[0] & 0xFF).isEqualTo(0x2a);
            assertThat(command.data().readableBytes()).isEqualTo(8192);
            assertThat(command.data().getByte(0)).isEqualTo((byte) 0x5a);
            assertThat(command.data().getByte(8191)).isEqualTo((byte) 0x5a);
            assertThat(command.data().unwrap()).as("a slice, not a copy").isNotNull();
        } finally {
            command.release();
        }
    }

    @Test
    void shouldRejectDataSegmentLongerThanNegotiated() {
        frames.maxDataSegmentLength(8192);
        byte[] header = bhs(Opcode.TEXT_REQUEST.code(), 8193);
        channel.writeInbound(Unpooled.wrappedBuffer(header));
        PduDecodeError error = channel.readInbound();
        assertThat(error.reason()).isEqualTo(RejectReason.PROTOCOL_ERROR);
        assertThat(error.closeConnection()).isTrue();
        assertThat(error.header()).isEqualTo(header);
        channel.writeInbound(Unpooled.wrappedBuffer(PduFixtures.load("logout-request")));
        assertThat((Object) channel.readInbound()).as("input after a framing error is discarded").isNull();
    }

    @Test
    void shouldRefuseMaximalDataSegmentLengthBeforeBufferingAnyOfIt() {
        frames.maxDataSegmentLength(8192);
        channel.writeInbound(Unpooled.wrappedBuffer(bhs(Opcode.NOP_OUT.code(), Bhs.MAX_DATA_SEGMENT_LENGTH)));
        PduDecodeError error = channel.readInbound();
        assertThat(error.closeConnection()).isTrue();
    }

    @Test
    void shouldRejectUnknownOpcodeAndKeepFraming() {
        byte[] unknown = bhs(0x1c, 4);
        ByteBuf in = Unpooled.buffer().writeBytes(unknown).writeInt(0xdeadbeef)
                .writeBytes(PduFixtures.load("logout-request"));
        channel.writeInbound(in);
        PduDecodeError error = channel.readInbound();
        assertThat(error.reason()).isEqualTo(RejectReason.COMMAND_NOT_SUPPORTED);
        assertThat(error.closeConnection()).isFalse();
        assertThat((Object) channel.readInbound()).isInstanceOf(LogoutRequestPdu.class);
    }

    @Test
    void shouldRejectTargetOpcodeSentByInitiator() {
        channel.writeInbound(Unpooled.wrappedBuffer(bhs(Opcode.DATA_IN.code(), 0)));
        PduDecodeError error = channel.readInbound();
        assertThat(error.reason()).isEqualTo(RejectReason.COMMAND_NOT_SUPPORTED);
    }

    @Test
    void shouldRejectAhsThatDoesNotMatchTotalAhsLength() {
        byte[] header = PduFixtures.load("scsi-command-read10");
        header[Bhs.TOTAL_AHS_LENGTH_OFFSET] = 1;
        ByteBuf in = Unpooled.buffer().writeBytes(header).writeShort(9).writeByte(1).writeByte(0);
        channel.writeInbound(in);
        PduDecodeError error = channel.readInbound();
        assertThat(error.reason()).isEqualTo(RejectReason.INVALID_PDU_FIELD);
        assertThat(error.closeConnection()).isFalse();
    }

    @Test
    void shouldRejectDataSegmentOnTaskManagementRequest() {
        ByteBuf in = Unpooled.buffer().writeBytes(bhs(Opcode.TASK_MGMT_REQUEST.code() | 0x40, 4)).writeInt(7);
        channel.writeInbound(in);
        PduDecodeError error = channel.readInbound();
        assertThat(error.reason()).isEqualTo(RejectReason.INVALID_PDU_FIELD);
    }

    @Test
    void shouldIgnoreNonZeroReservedFieldsAsRfc7143Requires() {
        byte[] header = PduFixtures.load("logout-request");
        header[2] = 0x55;
        header[44] = 0x11;
        channel.writeInbound(Unpooled.wrappedBuffer(header));
        assertThat((Object) channel.readInbound()).isInstanceOf(LogoutRequestPdu.class);
    }

    @Test
    void shouldAcceptCorrectHeaderAndDataDigests() {
        digests.enable(true, true);
        ByteBuf data = Unpooled.copiedBuffer("abcde", StandardCharsets.US_ASCII);
        channel.writeInbound(framed(bhs(Opcode.DATA_OUT.code(), 5), data, true, true));
        DataOutPdu pdu = channel.readInbound();
        try {
            assertThat(pdu.data().toString(StandardCharsets.US_ASCII)).isEqualTo("abcde");
        } finally {
            pdu.release();
            data.release();
        }
    }

    @Test
    void shouldDropTheConnectionOnHeaderDigestError() {
        digests.enable(true, false);
        ByteBuf in = Unpooled.buffer().writeBytes(PduFixtures.load("logout-request")).writeIntLE(0x12345678);
        channel.writeInbound(in);
        PduDecodeError error = channel.readInbound();
        assertThat(error.reason()).as("no Reject: the header cannot be trusted").isNull();
        assertThat(error.closeConnection()).isTrue();
        ByteBuf good = Unpooled.wrappedBuffer(PduFixtures.load("logout-request"));
        channel.writeInbound(framed(good, Unpooled.EMPTY_BUFFER, true, false));
        assertThat((Object) channel.readInbound()).as("nothing decodes after framing was lost").isNull();
    }

    @Test
    void shouldReportDataDigestErrorWithTheSaneHeader() {
        digests.enable(false, true);
        ByteBuf data = Unpooled.copiedBuffer("abcdefgh", StandardCharsets.US_ASCII);
        ByteBuf in = framed(bhs(Opcode.DATA_OUT.code(), 8), data, false, true);
        in.setByte(in.writerIndex() - 1, in.getByte(in.writerIndex() - 1) ^ 1);
        channel.writeInbound(in);
        data.release();
        PduDecodeError error = channel.readInbound();
        assertThat(error.reason()).isEqualTo(RejectReason.DATA_DIGEST_ERROR);
        assertThat(error.closeConnection()).isFalse();
        assertThat(error.pdu()).isInstanceOf(DataOutPdu.class);
        assertThat(error.dataSegmentLength()).isEqualTo(8);
        assertThat(((DataOutPdu) error.pdu()).data().readableBytes()).isZero();
    }

    @Test
    void shouldReleaseHalfAPduWhenTheConnectionEnds() {
        byte[] write = PduFixtures.load("scsi-command-write10-immediate");
        channel.writeInbound(Unpooled.wrappedBuffer(write, 0, 4000));
        assertFalse(channel.finish(), "a partial PDU produces nothing");
    }

    @Test
    void shouldDecodeExtendedCdbAndBidirectionalAhs() {
        byte[] cdb = new byte[32];
        for (int i = 0; i < cdb.length; i++) {
            cdb[i] = (byte) i;
        }
        ScsiCommandPdu original = new ScsiCommandPdu(false, true, true, true, 1, 3L << 48, 9, 4096, 77, 5, cdb, 512,
                Unpooled.EMPTY_BUFFER);
        ByteBuf wire = Unpooled.buffer();
        InitiatorPduLayout.write(original, wire);
        assertThat(wire.readableBytes()).isEqualTo(InitiatorPduLayout.headerLength(original));
        channel.writeInbound(wire);
        ScsiCommandPdu decoded = channel.readInbound();
        assertThat(decoded).isEqualTo(original);
    }

    @Test
    void shouldDecodeTaskManagementRequestFields() {
        TaskManagementRequestPdu original = new TaskManagementRequestPdu(true, 1, 0x0001000000000000L, 44, 41, 100, 7,
                99, 0);
        ByteBuf wire = Unpooled.buffer();
        InitiatorPduLayout.write(original, wire);
        channel.writeInbound(wire);
        assertThat((Object) channel.readInbound()).isEqualTo(original);
    }

    @Test
    void shouldDecodeTextRequestContinueBit() {
        TextRequestPdu original = new TextRequestPdu(false, false, true, 0, 5, Bhs.RESERVED_TAG, 3, 4,
                Unpooled.copiedBuffer("SendTar", StandardCharsets.US_ASCII));
        ByteBuf wire = Unpooled.buffer();
        InitiatorPduLayout.write(original, wire);
        wire.writeBytes(original.data(), original.data().readerIndex(), 7).writeZero(1);
        channel.writeInbound(wire);
        TextRequestPdu decoded = channel.readInbound();
        try {
            assertThat(decoded).isEqualTo(original);
        } finally {
            decoded.release();
            original.release();
        }
    }

    private void feed(byte[] bytes, int chunk) {
        for (int at = 0; at < bytes.length; at += chunk) {
            int length = Math.min(chunk, bytes.length - at);
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, at, length));
        }
    }

    static byte[] bhs(int opcode, int dataSegmentLength) {
        byte[] header = new byte[Bhs.LENGTH];
        header[0] = (byte) opcode;
        header[1] = (byte) 0x80;
        header[5] = (byte) (dataSegmentLength >>> 16);
        header[6] = (byte) (dataSegmentLength >>> 8);
        header[7] = (byte) dataSegmentLength;
        header[16] = 1;
        return header;
    }

    /** A frame of {@code header} + {@code data} (borrowed) with padding and the digests asked for. */
    static ByteBuf framed(byte[] header, ByteBuf data, boolean headerDigest, boolean dataDigest) {
        return framed(Unpooled.wrappedBuffer(header), data, headerDigest, dataDigest);
    }

    static ByteBuf framed(ByteBuf header, ByteBuf data, boolean headerDigest, boolean dataDigest) {
        ByteBuf out = Unpooled.buffer();
        out.writeBytes(header);
        header.release();
        if (headerDigest) {
            out.writeIntLE(Crc32c.of(out, 0, Bhs.LENGTH));
        }
        int length = data.readableBytes();
        int padding = Bhs.padded(length) - length;
        out.writeBytes(data, data.readerIndex(), length).writeZero(padding);
        if (dataDigest && length > 0) {
            out.writeIntLE(Crc32c.ofPadded(data, data.readerIndex(), length, padding));
        }
        return out;
    }
}
