package dev.quarry.iscsi.testing;

import dev.quarry.iscsi.codec.Crc32c;
import dev.quarry.iscsi.codec.InitiatorPduLayout;
import dev.quarry.iscsi.codec.TargetPduLayout;
import dev.quarry.iscsi.pdu.AsyncMessagePdu;
import dev.quarry.iscsi.pdu.Bhs;
import dev.quarry.iscsi.pdu.DataInPdu;
import dev.quarry.iscsi.pdu.DataPdu;
import dev.quarry.iscsi.pdu.InitiatorPdu;
import dev.quarry.iscsi.pdu.LoginResponsePdu;
import dev.quarry.iscsi.pdu.LogoutRequestPdu;
import dev.quarry.iscsi.pdu.LogoutResponsePdu;
import dev.quarry.iscsi.pdu.NopInPdu;
import dev.quarry.iscsi.pdu.NopOutPdu;
import dev.quarry.iscsi.pdu.Opcode;
import dev.quarry.iscsi.pdu.R2tPdu;
import dev.quarry.iscsi.pdu.RejectPdu;
import dev.quarry.iscsi.pdu.ScsiResponsePdu;
import dev.quarry.iscsi.pdu.TargetPdu;
import dev.quarry.iscsi.pdu.TaskManagementRequestPdu;
import dev.quarry.iscsi.pdu.TaskManagementResponsePdu;
import dev.quarry.iscsi.pdu.TextResponsePdu;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A minimal blocking iSCSI initiator for tests (RFC 7143 initiator side, ErrorRecoveryLevel 0,
 * one connection): logs in (with CHAP and mutual CHAP), runs SCSI commands with immediate,
 * unsolicited and R2T-solicited Data-Out, SendTargets with continuation, NOP, task management and
 * logout, and gives raw access to send any PDU or bytes (bad input) and read what comes back.
 *
 * <p>It numbers commands itself (CmdSN, ITT), answers target NOP-In pings while waiting, and
 * keeps PDUs it did not wait for in an inbox so that tests can interleave tasks.
 *
 * <p>Not thread-safe: one test thread drives it.
 */
public final class TestInitiator implements AutoCloseable {

    /** How long any single wait lasts unless told otherwise; tests stay bounded. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final ArrayDeque<TargetPdu> inbox = new ArrayDeque<>();
    private final List<AsyncMessagePdu> asyncMessages = new ArrayList<>();
    private boolean headerDigest;
    private boolean dataDigest;
    private boolean answerPings = true;
    private int cmdSn;
    private int expStatSn;
    private int nextTag = 0x1000;
    private Map<String, String> negotiated = Map.of();
    private int declaredMaxRecvDataSegmentLength = 8192;
    private int tsih;

    private TestInitiator(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Opens a TCP connection to {@code target}. */
    public static TestInitiator connect(InetSocketAddress target) {
        try {
            Socket socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(target, (int) DEFAULT_TIMEOUT.toMillis());
            return new TestInitiator(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Logs in with {@code options} and a fresh initial CmdSN; on success digests switch on as negotiated. */
    public LoginOutcome login(LoginOptions options) {
        LoginOutcome outcome = new InitiatorLogin(this, options).run();
        if (outcome.succeeded()) {
            declaredMaxRecvDataSegmentLength = Integer.parseInt(
                    options.operationalKeys().getOrDefault("MaxRecvDataSegmentLength", "8192"));
            negotiated = outcome.keys();
            tsih = outcome.tsih();
            headerDigest = "CRC32C".equals(outcome.keys().get("HeaderDigest"));
            dataDigest = "CRC32C".equals(outcome.keys().get("DataDigest"));
        }
        return outcome;
    }

    /** Logs in and fails the test unless the login succeeds. */
    public LoginOutcome loginOrFail(LoginOptions options) {
        LoginOutcome outcome = login(options);
        if (!outcome.succeeded()) {
            throw new AssertionError("login failed with status 0x" + Integer.toHexString(outcome.status()));
        }
        return outcome;
    }

    /** The keys the target answered in the login. */
    public Map<String, String> negotiated() {
        return negotiated;
    }

    public int tsih() {
        return tsih;
    }

    /** The largest data segment the target accepts (its declared MaxRecvDataSegmentLength). */
    public int targetMaxRecvDataSegmentLength() {
        return Integer.parseInt(negotiated.getOrDefault("MaxRecvDataSegmentLength", "8192"));
    }

    /** The MaxRecvDataSegmentLength this initiator declared: no target PDU may carry more. */
    public int declaredMaxRecvDataSegmentLength() {
        return declaredMaxRecvDataSegmentLength;
    }

    /** Runs SCSI commands; see {@link ScsiCommands}. */
    public ScsiCommands scsi() {
        return new ScsiCommands(this);
    }

    // ---- numbering

    /** A fresh Initiator Task Tag. */
    public int nextTag() {
        int tag = nextTag++;
        return tag == Bhs.RESERVED_TAG ? nextTag++ : tag;
    }

    /** The CmdSN for the next non-immediate command; advances it. */
    public int takeCmdSn() {
        return cmdSn++;
    }

    /** The CmdSN an immediate command carries (not advanced). */
    public int cmdSn() {
        return cmdSn;
    }

    public void cmdSn(int value) {
        cmdSn = value;
    }

    public int expStatSn() {
        return expStatSn;
    }

    /** Whether NOP-In pings are answered while waiting (default on). */
    public void answerPings(boolean answer) {
        answerPings = answer;
    }

    /** Digests in force for what this initiator sends and expects. */
    public void digests(boolean header, boolean data) {
        headerDigest = header;
        dataDigest = data;
    }

    /** Asynchronous Messages received so far. */
    public List<AsyncMessagePdu> asyncMessages() {
        return asyncMessages;
    }

    /** The first Asynchronous Message not yet taken, waiting up to {@code timeout}; other PDUs go to the inbox. */
    public AsyncMessagePdu awaitAsyncMessage(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (asyncMessages.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no Asynchronous Message within " + timeout);
            }
            TargetPdu other = read(Duration.ofNanos(left), true);
            if (other != null) {
                inbox.add(other);
            }
        }
        return asyncMessages.remove(0);
    }

    // ---- raw level

    /** Sends {@code pdu} framed with the digests in force; takes ownership (releases its data). */
    public void send(InitiatorPdu pdu) {
        sendRaw(frame(pdu));
    }

    /**
     * The bytes of {@code pdu} framed with the digests in force (BHS, AHS, header digest, data,
     * padding, data digest), for tests that corrupt them; takes ownership of {@code pdu}.
     */
    public byte[] frame(InitiatorPdu pdu) {
        ByteBuf frame = Unpooled.buffer();
        try {
            InitiatorPduLayout.write(pdu, frame);
            if (headerDigest) {
                frame.writeIntLE(Crc32c.of(frame, 0, frame.readableBytes()));
            }
            if (pdu instanceof DataPdu data && data.data().isReadable()) {
                ByteBuf segment = data.data();
                int length = segment.readableBytes();
                int padding = Bhs.padded(length) - length;
                frame.writeBytes(segment, segment.readerIndex(), length).writeZero(padding);
                if (dataDigest) {
                    frame.writeIntLE(Crc32c.ofPadded(segment, segment.readerIndex(), length, padding));
                }
            }
            byte[] bytes = new byte[frame.readableBytes()];
            frame.readBytes(bytes);
            return bytes;
        } finally {
            frame.release();
            ReferenceCountUtil.release(pdu);
        }
    }

    /** Sends {@code bytes} as they are. */
    public void sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next PDU (from the inbox first), within {@link #DEFAULT_TIMEOUT}. */
    public TargetPdu receive() {
        return receive(DEFAULT_TIMEOUT);
    }

    /** The next PDU (from the inbox first), within {@code timeout}; fails the test on timeout or close. */
    public TargetPdu receive(Duration timeout) {
        if (!inbox.isEmpty()) {
            return inbox.poll();
        }
        return read(timeout);
    }

    /** The first PDU matching {@code match}; others stay in the inbox (pings are answered). */
    @SuppressWarnings("unchecked")
    public <T extends TargetPdu> T await(Predicate<TargetPdu> match, Duration timeout) {
        for (Iterator<TargetPdu> it = inbox.iterator(); it.hasNext(); ) {
            TargetPdu pdu = it.next();
            if (match.test(pdu)) {
                it.remove();
                return (T) pdu;
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching PDU within " + timeout + "; inbox " + inbox);
            }
            TargetPdu pdu = read(Duration.ofNanos(left));
            if (match.test(pdu)) {
                return (T) pdu;
            }
            inbox.add(pdu);
        }
    }

    /** The next PDU for task {@code initiatorTaskTag} (Reject included when its header names the task). */
    public TargetPdu awaitTask(int initiatorTaskTag) {
        return await(pdu -> taskTag(pdu) == initiatorTaskTag, DEFAULT_TIMEOUT);
    }

    /** Whether nothing arrives within {@code quiet} (pings are answered meanwhile). */
    public boolean silentFor(Duration quiet) {
        if (!inbox.isEmpty()) {
            return false;
        }
        try {
            inbox.add(read(quiet));
            return false;
        } catch (AssertionError e) {
            if (e.getCause() instanceof SocketTimeoutException) {
                return true;
            }
            throw e;
        }
    }

    /** Whether the target closes the connection within {@code timeout}; PDUs before the close are dropped. */
    public boolean awaitClose(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            byte[] sink = new byte[65536];
            while (System.nanoTime() < deadline) {
                socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                if (in.read(sink) < 0) {
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- common exchanges

    /** NOP-Out ping with {@code data}; returns the NOP-In answering it. */
    public NopInPdu ping(byte[] data) {
        return ping(data, false);
    }

    /** NOP-Out ping, immediate or in CmdSN order; returns the NOP-In answering it. */
    public NopInPdu ping(byte[] data, boolean immediate) {
        int tag = nextTag();
        int sn = immediate ? cmdSn : takeCmdSn();
        send(new NopOutPdu(immediate, 0, tag, Bhs.RESERVED_TAG, sn, expStatSn, Unpooled.wrappedBuffer(data)));
        return (NopInPdu) awaitTask(tag);
    }

    /** A task management function; returns its response code. */
    public int taskManagement(int function, long lun, int referencedTaskTag, int refCmdSn, boolean immediate) {
        int tag = nextTag();
        int sn = immediate ? cmdSn : takeCmdSn();
        send(new TaskManagementRequestPdu(immediate, function, lun, tag, referencedTaskTag, sn, expStatSn, refCmdSn, 0));
        TargetPdu answer = awaitTask(tag);
        if (answer instanceof TaskManagementResponsePdu response) {
            return response.response();
        }
        throw new AssertionError("expected a task management response, got " + answer);
    }

    /** Logs out with {@code reason}; returns the Logout Response. */
    public LogoutResponsePdu logout(int reason) {
        int tag = nextTag();
        send(new LogoutRequestPdu(true, reason, tag, 0, cmdSn, expStatSn));
        return (LogoutResponsePdu) awaitTask(tag);
    }

    /** Runs a text exchange (continuations included); returns the answered keys in order. */
    public List<Map.Entry<String, String>> text(String keys) {
        return new TextExchange(this).run(keys);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        inbox.forEach(ReferenceCountUtil::release);
        inbox.clear();
    }

    // ---- reading

    /** The next PDU within {@code timeout} overall: answering pings does not extend the wait. */
    private TargetPdu read(Duration timeout) {
        return read(timeout, false);
    }

    /**
     * The next PDU within {@code timeout}; Asynchronous Messages are recorded and skipped, or with
     * {@code asyncEnds} end the wait with {@code null}.
     */
    private TargetPdu read(Duration timeout, boolean asyncEnds) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = Math.max(1_000_000, deadline - System.nanoTime());
            TargetPdu pdu = readFrame(Duration.ofNanos(left));
            track(pdu);
            if (pdu instanceof NopInPdu ping && ping.initiatorTaskTag() == Bhs.RESERVED_TAG && answerPings) {
                send(new NopOutPdu(true, ping.lun(), Bhs.RESERVED_TAG, ping.targetTransferTag(), cmdSn, expStatSn,
                        Unpooled.EMPTY_BUFFER));
                if (System.nanoTime() >= deadline) {
                    throw new AssertionError("no PDU within " + timeout, new SocketTimeoutException("only pings"));
                }
                continue;
            }
            if (pdu instanceof AsyncMessagePdu async) {
                asyncMessages.add(async);
                if (asyncEnds) {
                    return null;
                }
                if (async.asyncEvent() != AsyncMessagePdu.LOGOUT_REQUEST) {
                    continue;
                }
            }
            return pdu;
        }
    }

    private TargetPdu readFrame(Duration timeout) {
        try {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            byte[] bhs = new byte[Bhs.LENGTH];
            in.readFully(bhs);
            int ahs = (bhs[Bhs.TOTAL_AHS_LENGTH_OFFSET] & 0xFF) * 4;
            int dsl = (bhs[5] & 0xFF) << 16 | (bhs[6] & 0xFF) << 8 | bhs[7] & 0xFF;
            byte[] header = new byte[Bhs.LENGTH + ahs];
            System.arraycopy(bhs, 0, header, 0, Bhs.LENGTH);
            in.readFully(header, Bhs.LENGTH, ahs);
            if (headerDigest) {
                int digest = Integer.reverseBytes(in.readInt());
                check(digest == Crc32c.of(Unpooled.wrappedBuffer(header), 0, header.length), "header digest");
            }
            byte[] data = new byte[Bhs.padded(dsl)];
            in.readFully(data);
            if (dataDigest && dsl > 0) {
                int digest = Integer.reverseBytes(in.readInt());
                check(digest == Crc32c.of(Unpooled.wrappedBuffer(data), 0, data.length), "data digest");
            }
            return TargetPduLayout.read(Opcode.of(bhs[0]), Unpooled.wrappedBuffer(header), Unpooled.wrappedBuffer(data, 0, dsl));
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no PDU within " + timeout, e);
        } catch (EOFException e) {
            throw new AssertionError("the target closed the connection", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what + " mismatch from the target");
        }
    }

    /** Keeps ExpStatSN and the next CmdSN in step with what the target says. */
    private void track(TargetPdu pdu) {
        int statSn;
        int expCmdSn;
        switch (pdu) {
            case ScsiResponsePdu p -> { statSn = p.statSn(); expCmdSn = p.expCmdSn(); }
            case DataInPdu p -> { statSn = p.statusPresent() ? p.statSn() : expStatSn - 1; expCmdSn = p.expCmdSn(); }
            case NopInPdu p -> { statSn = p.initiatorTaskTag() == Bhs.RESERVED_TAG ? expStatSn - 1 : p.statSn();
                expCmdSn = p.expCmdSn(); }
            case TaskManagementResponsePdu p -> { statSn = p.statSn(); expCmdSn = p.expCmdSn(); }
            case TextResponsePdu p -> { statSn = p.statSn(); expCmdSn = p.expCmdSn(); }
            case LogoutResponsePdu p -> { statSn = p.statSn(); expCmdSn = p.expCmdSn(); }
            case RejectPdu p -> { statSn = p.statSn(); expCmdSn = p.expCmdSn(); }
            case AsyncMessagePdu p -> { statSn = p.statSn(); expCmdSn = p.expCmdSn(); }
            case LoginResponsePdu p -> { statSn = p.statSn(); expCmdSn = p.expCmdSn(); }
            case R2tPdu p -> { statSn = expStatSn - 1; expCmdSn = p.expCmdSn(); }
        }
        expStatSn = statSn + 1;
        if (pdu instanceof LoginResponsePdu) {
            cmdSn = expCmdSn;
        }
    }

    /** The Initiator Task Tag a PDU answers; for a Reject, the tag in the rejected header. */
    public static int taskTag(TargetPdu pdu) {
        return switch (pdu) {
            case ScsiResponsePdu p -> p.initiatorTaskTag();
            case DataInPdu p -> p.initiatorTaskTag();
            case NopInPdu p -> p.initiatorTaskTag();
            case TaskManagementResponsePdu p -> p.initiatorTaskTag();
            case TextResponsePdu p -> p.initiatorTaskTag();
            case LogoutResponsePdu p -> p.initiatorTaskTag();
            case LoginResponsePdu p -> p.initiatorTaskTag();
            case R2tPdu p -> p.initiatorTaskTag();
            case RejectPdu p -> p.data().readableBytes() >= 20 ? p.data().getInt(p.data().readerIndex() + 16) : Bhs.RESERVED_TAG;
            case AsyncMessagePdu p -> Bhs.RESERVED_TAG;
        };
    }
}
