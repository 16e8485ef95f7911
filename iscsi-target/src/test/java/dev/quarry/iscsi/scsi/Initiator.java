package dev.quarry.iscsi.scsi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** One I_T nexus into a test target, as a transport would drive it, recording what it is told unasked. */
final class Initiator implements NexusEvents {

    final ItNexus nexus;
    final NexusPort port;
    final List<Long> tasksAborted = new CopyOnWriteArrayList<>();
    final List<byte[]> asyncEvents = new CopyOnWriteArrayList<>();
    final AtomicInteger coldResets = new AtomicInteger();
    private final AtomicLong tags = new AtomicLong(0x1000);
    private long lun;

    Initiator(ScsiTargetDevice target, ItNexus nexus) {
        this.nexus = nexus;
        this.port = target.attach(nexus, this);
    }

    /** Addresses LUN {@code lun} from now on. */
    Initiator lun(int lun) {
        this.lun = Lun.encode(lun);
        return this;
    }

    long wireLun() {
        return lun;
    }

    Reply send(byte[] cdb) {
        return send(cdb, null, 0);
    }

    Reply send(byte[] cdb, byte[] dataOut) {
        return send(cdb, dataOut, dataOut == null ? 0 : dataOut.length);
    }

    Reply send(byte[] cdb, byte[] dataOut, int expectedLength) {
        return await(sendAsync(cdb, dataOut, TaskAttribute.SIMPLE, nextTag(), expectedLength));
    }

    CompletableFuture<ScsiResponse> sendAsync(byte[] cdb, byte[] dataOut, TaskAttribute attribute, long tag) {
        return sendAsync(cdb, dataOut, attribute, tag, dataOut == null ? 0 : dataOut.length);
    }

    CompletableFuture<ScsiResponse> sendAsync(byte[] cdb, byte[] dataOut, TaskAttribute attribute, long tag, int edtl) {
        ByteBuf data = dataOut == null ? null : Unpooled.directBuffer(dataOut.length).writeBytes(dataOut);
        return port.execute(new ScsiCommand(lun, tag, attribute, pad(cdb), edtl, data)).toCompletableFuture();
    }

    long nextTag() {
        return tags.incrementAndGet();
    }

    /** Sends TEST UNIT READY until it is GOOD, as initiators do after login; returns how many attentions came. */
    int clearUnitAttentions() {
        for (int i = 0; i < 20; i++) {
            Reply reply = send(Cdbs.testUnitReady());
            if (reply.good()) {
                return i;
            }
            if (reply.senseKey() != SenseKey.UNIT_ATTENTION.code()) {
                throw new AssertionError("TEST UNIT READY failed with " + reply.code());
            }
        }
        throw new AssertionError("unit attentions do not stop");
    }

    @Override
    public void asyncEvent(long lun, byte[] senseData) {
        asyncEvents.add(senseData);
    }

    @Override
    public void tasksAborted(long lun) {
        tasksAborted.add(lun);
    }

    @Override
    public void coldReset() {
        coldResets.incrementAndGet();
    }

    static Reply await(CompletableFuture<ScsiResponse> response) {
        try {
            return Reply.of(response.get(20, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new AssertionError("no response", e);
        }
    }

    /** CDBs travel in a 16-byte field; short ones are padded with zeroes as the iSCSI transport does. */
    private static byte[] pad(byte[] cdb) {
        if (cdb.length >= 16) {
            return cdb;
        }
        byte[] padded = new byte[16];
        System.arraycopy(cdb, 0, padded, 0, cdb.length);
        return padded;
    }
}
