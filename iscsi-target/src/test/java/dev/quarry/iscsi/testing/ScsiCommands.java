package dev.quarry.iscsi.testing;

import dev.quarry.iscsi.pdu.Bhs;
import dev.quarry.iscsi.pdu.DataInPdu;
import dev.quarry.iscsi.pdu.DataOutPdu;
import dev.quarry.iscsi.pdu.R2tPdu;
import dev.quarry.iscsi.pdu.RejectPdu;
import dev.quarry.iscsi.pdu.ScsiCommandPdu;
import dev.quarry.iscsi.pdu.ScsiResponsePdu;
import dev.quarry.iscsi.pdu.TargetPdu;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * SCSI commands through a logged-in {@link TestInitiator} (RFC 7143 §3.2): sends the command with
 * as much immediate and unsolicited data as negotiated, answers R2Ts, collects Data-In and the
 * status. {@link #submit} and {@link #complete} split a command so that tests can act in between.
 *
 * <p>Not thread-safe.
 */
public final class ScsiCommands {

    /** A command sent but not yet answered. */
    public static final class Pending {
        private final int tag;
        private final int cmdSn;
        private final long lun;
        private final byte[] dataOut;
        private final byte[] dataIn;
        private int dataInPdus;
        private int r2ts;

        Pending(int tag, int cmdSn, long lun, byte[] dataOut, int expectedLength, boolean read) {
            this.tag = tag;
            this.cmdSn = cmdSn;
            this.lun = lun;
            this.dataOut = dataOut;
            this.dataIn = read ? new byte[expectedLength] : new byte[0];
        }

        /** A command the test sent itself (raw), to be completed with {@link ScsiCommands#complete}. */
        public static Pending sent(int tag, long lun, byte[] dataOut, int expectedLength, boolean read) {
            return new Pending(tag, 0, lun, dataOut, expectedLength, read);
        }

        public int tag() {
            return tag;
        }

        public int cmdSn() {
            return cmdSn;
        }
    }

    private final TestInitiator initiator;

    ScsiCommands(TestInitiator initiator) {
        this.initiator = initiator;
    }

    /** Runs {@code cdb} on {@code lun}: a write when {@code dataOut} is given, else a read of {@code expectedLength}. */
    public ScsiResult execute(long lun, byte[] cdb, int expectedLength, byte[] dataOut) {
        return complete(submit(lun, cdb, expectedLength, dataOut, false));
    }

    /**
     * Sends {@code cdb} with the immediate data and unsolicited Data-Out the negotiated
     * ImmediateData, InitialR2T and FirstBurstLength allow.
     */
    public Pending submit(long lun, byte[] cdb, int expectedLength, byte[] dataOut, boolean immediate) {
        boolean write = dataOut != null;
        int segment = initiator.targetMaxRecvDataSegmentLength();
        int firstBurst = Integer.parseInt(initiator.negotiated().getOrDefault("FirstBurstLength", "65536"));
        int unsolicited = !write ? 0 : Math.min(dataOut.length, Math.min(firstBurst, expectedLength));
        boolean immediateData = "Yes".equals(initiator.negotiated().getOrDefault("ImmediateData", "Yes"));
        boolean unsolicitedDataOut = "No".equals(initiator.negotiated().getOrDefault("InitialR2T", "Yes"));
        int inCommand = immediateData ? Math.min(unsolicited, segment) : 0;
        int afterCommand = unsolicitedDataOut ? unsolicited - inCommand : 0;
        int tag = initiator.nextTag();
        int cmdSn = immediate ? initiator.cmdSn() : initiator.takeCmdSn();
        byte[] padded = Arrays.copyOf(cdb, Math.max(cdb.length, Bhs.CDB_LENGTH));
        initiator.send(new ScsiCommandPdu(immediate, afterCommand == 0, !write && expectedLength > 0, write, 1, lun, tag,
                expectedLength, cmdSn, initiator.expStatSn(), padded, -1,
                inCommand == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(dataOut, 0, inCommand)));
        if (afterCommand > 0) {
            sendData(tag, lun, Bhs.RESERVED_TAG, dataOut, inCommand, afterCommand);
        }
        return new Pending(tag, cmdSn, lun, dataOut, expectedLength, !write);
    }

    /** Answers R2Ts and collects Data-In until {@code pending} has its status. */
    public ScsiResult complete(Pending pending) {
        while (true) {
            TargetPdu pdu = initiator.awaitTask(pending.tag);
            switch (pdu) {
                case R2tPdu r2t -> {
                    pending.r2ts++;
                    sendData(pending.tag, pending.lun, r2t.targetTransferTag(), pending.dataOut, r2t.bufferOffset(),
                            r2t.desiredDataTransferLength());
                }
                case DataInPdu in -> {
                    try {
                        pending.dataInPdus++;
                        in.data().getBytes(in.data().readerIndex(), pending.dataIn, in.bufferOffset(), in.data().readableBytes());
                        if (in.statusPresent()) {
                            return new ScsiResult(in.status(), null, pending.dataIn, in.residualOverflow(),
                                    in.residualUnderflow(), in.residualCount(), pending.dataInPdus, pending.r2ts, true);
                        }
                    } finally {
                        in.release();
                    }
                }
                case ScsiResponsePdu response -> {
                    try {
                        return new ScsiResult(response.status(), sense(response.data()), pending.dataIn,
                                response.residualOverflow(), response.residualUnderflow(), response.residualCount(),
                                pending.dataInPdus, pending.r2ts, false);
                    } finally {
                        response.release();
                    }
                }
                case RejectPdu reject -> throw new AssertionError("command rejected with reason 0x"
                        + Integer.toHexString(reject.reason()));
                default -> throw new AssertionError("unexpected " + pdu);
            }
        }
    }

    /** Sends {@code length} bytes of {@code data} from {@code offset} as one Data-Out sequence. */
    public void sendData(int tag, long lun, int targetTransferTag, byte[] data, int offset, int length) {
        int segment = initiator.targetMaxRecvDataSegmentLength();
        int dataSn = 0;
        for (int at = offset; at < offset + length; at += segment) {
            int size = Math.min(segment, offset + length - at);
            initiator.send(new DataOutPdu(at + size == offset + length, lun, tag, targetTransferTag, initiator.expStatSn(),
                    dataSn++, at, Unpooled.wrappedBuffer(data, at, size)));
        }
    }

    public ScsiResult testUnitReady(long lun) {
        return execute(lun, new byte[6], 0, null);
    }

    public ScsiResult inquiry(long lun, int allocationLength) {
        return execute(lun, new byte[] {0x12, 0, 0, (byte) (allocationLength >> 8), (byte) allocationLength, 0},
                allocationLength, null);
    }

    public ScsiResult read10(long lun, long lba, int blocks, int blockSize) {
        return execute(lun, cdb10(0x28, lba, blocks), blocks * blockSize, null);
    }

    public ScsiResult write10(long lun, long lba, byte[] data, int blockSize) {
        return execute(lun, cdb10(0x2A, lba, data.length / blockSize), data.length, data);
    }

    public ScsiResult read16(long lun, long lba, int blocks, int blockSize) {
        return execute(lun, cdb16(0x88, lba, blocks), blocks * blockSize, null);
    }

    public ScsiResult write16(long lun, long lba, byte[] data, int blockSize) {
        return execute(lun, cdb16(0x8A, lba, data.length / blockSize), data.length, data);
    }

    /** A 10-byte READ/WRITE style CDB. */
    public static byte[] cdb10(int opcode, long lba, int blocks) {
        return ByteBuffer.allocate(10).put((byte) opcode).put((byte) 0).putInt((int) lba).put((byte) 0)
                .putShort((short) blocks).put((byte) 0).array();
    }

    /** A 16-byte READ/WRITE style CDB. */
    public static byte[] cdb16(int opcode, long lba, int blocks) {
        return ByteBuffer.allocate(16).put((byte) opcode).put((byte) 0).putLong(lba).putInt(blocks).put((byte) 0)
                .put((byte) 0).array();
    }

    private static byte[] sense(ByteBuf data) {
        if (data.readableBytes() < 2) {
            return null;
        }
        int length = data.getUnsignedShort(data.readerIndex());
        byte[] sense = new byte[Math.min(length, data.readableBytes() - 2)];
        data.getBytes(data.readerIndex() + 2, sense);
        return sense;
    }
}
