package dev.quarry.perf.driver;

import java.util.List;

/**
 * One row of the table: what the initiator does, at which queue depth, with which tool.
 * {@code qemu-img bench} runs a fixed number of requests (scattered requests use a stride of a
 * prime number of blocks, which visits every block of a power-of-two-sized LUN before repeating,
 * 4 KiB aligned); {@code iscsi-perf} runs for a fixed time.
 *
 * @param name the row label
 * @param tool which initiator drives it
 * @param write whether it writes (a non-zero pattern, so neither target sees zero blocks)
 * @param requestBytes bytes per request
 * @param depth requests in flight
 * @param strideBlocks qemu-img bench's step in 4 KiB blocks (1 = sequential); unused by iscsi-perf
 * @param random iscsi-perf's random LBA mode (any 512-byte LBA, so most 4 KiB reads straddle two 4 KiB blocks)
 */
record Workload(String name, Tool tool, boolean write, int requestBytes, int depth, int strideBlocks, boolean random) {

    /** The initiator of a workload. */
    enum Tool { QEMU_IMG_BENCH, ISCSI_PERF }

    /** A 4 KiB stride, in blocks, that is prime and far from any power of two. */
    static final int SCATTER = 7919;

    /**
     * The workloads of issue 4 plus two extra rows, in the order they run: the reads first, on the
     * layout the fill left (written in LBA order); then the 4 KiB random writes; then the 128 KiB
     * sequential read again, now over blocks those writes scattered across the log (Quarry writes
     * redirect-on-write; tgtd's file stays in place); then the 1 MiB sequential writes.
     */
    static List<Workload> standard() {
        return List.of(
                new Workload("4 KiB random read, QD32", Tool.QEMU_IMG_BENCH, false, 4096, 32, SCATTER, false),
                new Workload("128 KiB sequential read, QD16", Tool.ISCSI_PERF, false, 128 << 10, 16, 1, false),
                new Workload("4 KiB random read, QD32, unaligned", Tool.ISCSI_PERF, false, 4096, 32, 1, true),
                new Workload("4 KiB random write, QD32", Tool.QEMU_IMG_BENCH, true, 4096, 32, SCATTER, false),
                new Workload("4 KiB random write, QD1 (latency)", Tool.QEMU_IMG_BENCH, true, 4096, 1, SCATTER, false),
                new Workload("128 KiB sequential read, QD16, after the random writes", Tool.ISCSI_PERF, false, 128 << 10, 16, 1,
                        false),
                new Workload("1 MiB sequential write, QD8", Tool.QEMU_IMG_BENCH, true, 1 << 20, 8, 1, false));
    }

    /** Whether the row is better read in MiB/s than in IOPS. */
    boolean large() {
        return requestBytes >= 64 << 10;
    }
}
