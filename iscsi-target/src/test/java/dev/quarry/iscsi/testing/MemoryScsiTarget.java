package dev.quarry.iscsi.testing;

import dev.quarry.block.BlockIoException;
import dev.quarry.block.SenseCode;
import dev.quarry.block.WriteOptions;
import dev.quarry.block.testing.MemoryBlockVolume;
import dev.quarry.iscsi.scsi.ItNexus;
import dev.quarry.iscsi.scsi.NexusEvents;
import dev.quarry.iscsi.scsi.NexusPort;
import dev.quarry.iscsi.scsi.ScsiCommand;
import dev.quarry.iscsi.scsi.ScsiResponse;
import dev.quarry.iscsi.scsi.ScsiStatus;
import dev.quarry.iscsi.scsi.ScsiTarget;
import dev.quarry.iscsi.scsi.TmfResult;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A deliberately small SCSI target for transport tests: LUN 0 is a {@link MemoryBlockVolume} of
 * 512-byte blocks, and it answers TEST UNIT READY, INQUIRY (standard, VPD 0x00/0x80/0x83), REPORT
 * LUNS, READ CAPACITY(10/16), READ/WRITE(10/12/16), WRITE AND VERIFY (as a write) and SYNCHRONIZE
 * CACHE — enough for libiscsi's {@code iscsi-ls -s}, its iSCSI test family, and QEMU. The real SCSI layer lives elsewhere; this one exists to drive the
 * transport. Tests can hold commands (to fill queues and race task management) and see the order
 * in which commands arrived.
 *
 * <p>Thread-safe.
 */
public final class MemoryScsiTarget implements ScsiTarget {

    public static final int BLOCK_SIZE = 512;

    private final MemoryBlockVolume volume;
    private final List<Port> ports = new CopyOnWriteArrayList<>();
    private final List<Long> executed = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Held> held = new ConcurrentLinkedQueue<>();
    private volatile boolean holding;
    private volatile boolean tmfAbortsHeld = true;

    private record Held(Port port, ScsiCommand command, CompletableFuture<ScsiResponse> result) {
    }

    public MemoryScsiTarget(long bytes) {
        this.volume = new MemoryBlockVolume(bytes);
    }

    @Override
    public NexusPort attach(ItNexus nexus, NexusEvents events) {
        Port port = new Port(nexus, events);
        ports.add(port);
        return port;
    }

    /** While on, commands wait (unexecuted) until {@link #releaseHeld()} or an abort. */
    public void hold(boolean on) {
        holding = on;
    }

    /**
     * Whether task management aborts held commands (default). Off, a reset completes at once and
     * leaves held commands running, like a SCSI layer whose tasks are already past the point of no
     * return: the transport must still answer only after they finish.
     */
    public void tmfAbortsHeld(boolean on) {
        tmfAbortsHeld = on;
    }

    public int heldCount() {
        return held.size();
    }

    /** Runs every held command, in arrival order. */
    public void releaseHeld() {
        for (Held h = held.poll(); h != null; h = held.poll()) {
            Held current = h;
            run(current.command()).whenComplete((response, error) -> current.result().complete(response));
        }
    }

    /** The task tags of every command that reached the target, in arrival order. */
    public List<Long> executedTags() {
        return List.copyOf(executed);
    }

    /** The nexuses attached so far, in order. */
    public List<ItNexus> nexuses() {
        return ports.stream().map(p -> p.nexus).toList();
    }

    /** The events of the {@code index}th nexus, to inject asynchronous events. */
    public NexusEvents events(int index) {
        return ports.get(index).events;
    }

    /** Nexuses attached and not closed. */
    public long openNexuses() {
        return ports.stream().filter(p -> !p.closed).count();
    }

    public MemoryBlockVolume volume() {
        return volume;
    }

    private CompletableFuture<ScsiResponse> run(ScsiCommand command) {
        byte[] cdb = command.cdb();
        return switch (command.operationCode()) {
            case 0x00, 0x35, 0x91 -> done(command, ScsiResponse.good(null));
            case 0x12 -> done(command, ScsiResponses.inquiry(cdb));
            case 0xA0 -> done(command, ScsiResponses.reportLuns(cdb));
            case 0x25 -> done(command, ScsiResponses.readCapacity10(volume.blockCount()));
            case 0x9E -> done(command, ScsiResponses.readCapacity16(cdb, volume.blockCount()));
            case 0x28 -> read(command, Integer.toUnsignedLong(be(cdb, 2, 4)), be(cdb, 7, 2));
            case 0xA8 -> read(command, Integer.toUnsignedLong(be(cdb, 2, 4)), be(cdb, 6, 4));
            case 0x88 -> read(command, be64(cdb, 2), be(cdb, 10, 4));
            case 0x2A, 0x2E -> write(command, Integer.toUnsignedLong(be(cdb, 2, 4)), be(cdb, 7, 2));
            case 0xAA, 0xAE -> write(command, Integer.toUnsignedLong(be(cdb, 2, 4)), be(cdb, 6, 4));
            case 0x8A, 0x8E -> write(command, be64(cdb, 2), be(cdb, 10, 4));
            default -> done(command, ScsiResponses.checkCondition(0x05, 0x20, 0x00));
        };
    }

    private static CompletableFuture<ScsiResponse> done(ScsiCommand command, ScsiResponse response) {
        if (command.dataOut() != null) {
            command.dataOut().release();
        }
        return CompletableFuture.completedFuture(response);
    }

    private CompletableFuture<ScsiResponse> read(ScsiCommand command, long lba, int blocks) {
        if (command.dataOut() != null) {
            command.dataOut().release();
        }
        return volume.read(lba, blocks).handle((data, error) -> error == null ? ScsiResponse.good(data) : failure(error));
    }

    /**
     * Writes the blocks the CDB names. With less Data-Out than that (EDTL below the transfer
     * length) it writes what arrived and no more, merging a partial last block (FCP-4 9.5.8 a),
     * as libiscsi's residual tests expect); the transfer length is reported either way, so that the
     * transport can compute the residual.
     */
    private CompletableFuture<ScsiResponse> write(ScsiCommand command, long lba, int blocks) {
        int length = blocks * BLOCK_SIZE;
        ByteBuf data = command.dataOut() != null ? command.dataOut() : ByteBufAllocator.DEFAULT.buffer(0);
        int received = Math.min(length, data.readableBytes());
        if (received == 0) {
            data.release();
            return CompletableFuture.completedFuture(new ScsiResponse(ScsiStatus.GOOD, null, null, length, true));
        }
        int touched = (received + BLOCK_SIZE - 1) / BLOCK_SIZE;
        CompletableFuture<Void> done = volume.modify(lba, touched, current -> {
            ByteBuf merged = ByteBufAllocator.DEFAULT.buffer(touched * BLOCK_SIZE).writeBytes(current);
            merged.setBytes(0, data, data.readerIndex(), received);
            return merged;
        }, WriteOptions.CACHED);
        return done.handle((ignored, error) -> {
            data.release();
            return error == null ? ScsiResponse.goodAfterDataOut(length) : failure(error);
        });
    }

    private static ScsiResponse failure(Throwable error) {
        Throwable cause = error.getCause() != null ? error.getCause() : error;
        SenseCode sense = cause instanceof BlockIoException io ? io.sense() : SenseCode.INTERNAL_TARGET_FAILURE;
        return ScsiResponses.checkCondition(sense.senseKey(), sense.asc(), sense.ascq());
    }

    private static int be(byte[] cdb, int offset, int length) {
        int value = 0;
        for (int i = 0; i < length; i++) {
            value = value << 8 | cdb[offset + i] & 0xFF;
        }
        return value;
    }

    private static long be64(byte[] cdb, int offset) {
        return (long) be(cdb, offset, 4) << 32 | Integer.toUnsignedLong(be(cdb, offset + 4, 4));
    }

    /** Completes the held commands {@code which} selects as aborted; returns how many. */
    private int abort(Predicate<Held> which) {
        if (!tmfAbortsHeld) {
            return 0;
        }
        int count = 0;
        for (Held h : held) {
            if (which.test(h) && held.remove(h)) {
                if (h.command().dataOut() != null) {
                    h.command().dataOut().release();
                }
                h.result().complete(ScsiResponse.abortedSilently());
                count++;
            }
        }
        return count;
    }

    /** One I_T nexus. */
    private final class Port implements NexusPort {
        private final ItNexus nexus;
        private final NexusEvents events;
        private volatile boolean closed;

        Port(ItNexus nexus, NexusEvents events) {
            this.nexus = nexus;
            this.events = events;
        }

        @Override
        public CompletionStage<ScsiResponse> execute(ScsiCommand command) {
            executed.add(command.taskTag());
            if (closed) {
                return done(command, ScsiResponse.abortedSilently());
            }
            if (holding) {
                CompletableFuture<ScsiResponse> result = new CompletableFuture<>();
                held.add(new Held(this, command, result));
                return result;
            }
            return run(command);
        }

        @Override
        public CompletionStage<TmfResult> abortTask(long lun, long referencedTaskTag) {
            if (lun != 0) {
                return CompletableFuture.completedFuture(TmfResult.LUN_DOES_NOT_EXIST);
            }
            int aborted = abort(h -> h.port() == this && h.command().taskTag() == referencedTaskTag);
            return CompletableFuture.completedFuture(aborted > 0 ? TmfResult.FUNCTION_COMPLETE : TmfResult.TASK_DOES_NOT_EXIST);
        }

        @Override
        public CompletionStage<TmfResult> abortTaskSet(long lun) {
            return lunWide(lun, h -> h.port() == this);
        }

        @Override
        public CompletionStage<TmfResult> clearTaskSet(long lun) {
            return lunWide(lun, h -> true);
        }

        @Override
        public CompletionStage<TmfResult> clearAca(long lun) {
            return lunWide(lun, h -> false);
        }

        @Override
        public CompletionStage<TmfResult> logicalUnitReset(long lun) {
            return lunWide(lun, h -> true);
        }

        @Override
        public CompletionStage<TmfResult> targetReset(boolean cold) {
            abort(h -> true);
            if (cold) {
                ports.stream().filter(p -> p != this && !p.closed).forEach(p -> p.events.coldReset());
            }
            return CompletableFuture.completedFuture(TmfResult.FUNCTION_COMPLETE);
        }

        private CompletionStage<TmfResult> lunWide(long lun, Predicate<Held> which) {
            if (lun != 0) {
                return CompletableFuture.completedFuture(TmfResult.LUN_DOES_NOT_EXIST);
            }
            abort(which);
            return CompletableFuture.completedFuture(TmfResult.FUNCTION_COMPLETE);
        }

        @Override
        public void close() {
            closed = true;
            for (Held h : held) {
                if (h.port() == this && held.remove(h)) {
                    if (h.command().dataOut() != null) {
                        h.command().dataOut().release();
                    }
                    h.result().complete(ScsiResponse.abortedSilently());
                }
            }
        }
    }

    /** Answers of the commands that need no volume access. */
    private static final class ScsiResponses {

        static ScsiResponse inquiry(byte[] cdb) {
            int allocation = be(cdb, 3, 2);
            byte[] page;
            if ((cdb[1] & 1) == 0) {
                page = new byte[36];
                page[2] = 0x06;
                page[3] = 0x02;
                page[4] = 31;
                System.arraycopy("QUARRY  TEST TARGET     0001".getBytes(StandardCharsets.US_ASCII), 0, page, 8, 28);
            } else {
                page = switch (cdb[2] & 0xFF) {
                    case 0x00 -> new byte[] {0, 0, 0, 3, 0x00, (byte) 0x80, (byte) 0x83};
                    case 0x80 -> new byte[] {0, (byte) 0x80, 0, 4, '0', '0', '0', '1'};
                    case 0x83 -> new byte[] {0, (byte) 0x83, 0, 12, 0x01, 0x03, 0, 8, 0x60, 0, 0, 0, 0, 0, 0, 1};
                    default -> null;
                };
                if (page == null) {
                    return checkCondition(0x05, 0x24, 0x00);
                }
            }
            return data(page, allocation);
        }

        static ScsiResponse reportLuns(byte[] cdb) {
            byte[] list = new byte[16];
            list[3] = 8;
            return data(list, be(cdb, 6, 4));
        }

        static ScsiResponse readCapacity10(long blocks) {
            long last = Math.min(blocks - 1, 0xFFFF_FFFFL);
            return data(new byte[] {(byte) (last >> 24), (byte) (last >> 16), (byte) (last >> 8), (byte) last, 0, 0, 2, 0}, 8);
        }

        static ScsiResponse readCapacity16(byte[] cdb, long blocks) {
            if ((cdb[1] & 0x1F) != 0x10) {
                return checkCondition(0x05, 0x20, 0x00);
            }
            byte[] capacity = new byte[32];
            long last = blocks - 1;
            for (int i = 0; i < 8; i++) {
                capacity[i] = (byte) (last >> (56 - 8 * i));
            }
            capacity[10] = 2;
            capacity[13] = 3;
            return data(capacity, be(cdb, 10, 4));
        }

        static ScsiResponse data(byte[] bytes, int allocationLength) {
            int length = Math.min(bytes.length, allocationLength);
            return ScsiResponse.good(ByteBufAllocator.DEFAULT.buffer(length).writeBytes(bytes, 0, length));
        }

        static ScsiResponse checkCondition(int senseKey, int asc, int ascq) {
            return checkCondition(senseKey, asc, ascq, 0);
        }

        static ScsiResponse checkCondition(int senseKey, int asc, int ascq, int dataOutLength) {
            byte[] sense = new byte[18];
            sense[0] = 0x70;
            sense[2] = (byte) senseKey;
            sense[7] = 10;
            sense[12] = (byte) asc;
            sense[13] = (byte) ascq;
            return new ScsiResponse(ScsiStatus.CHECK_CONDITION, null, sense, dataOutLength, true);
        }
    }
}
