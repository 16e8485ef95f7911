/**
 * The asynchronous block-device contract shared by the SCSI target and the storage behind it.
 *
 * <p>{@link dev.quarry.block.BlockDevice} is what backend disks implement (a file, a block device,
 * a LUN of another array); {@link dev.quarry.block.BlockVolume} adds what the SCSI layer exports
 * to hosts (atomic read-modify-write for COMPARE AND WRITE, WRITE SAME, copy offload,
 * provisioning status). Failures carry a SCSI sense through {@link dev.quarry.block.BlockIoException}
 * so that the target can answer the host precisely without knowing what failed behind it.
 *
 * <h2>Buffer ownership</h2>
 * Data moves as Netty {@code ByteBuf}s. A method that takes a buffer <em>takes ownership</em>:
 * it releases it (also when it fails, also when it throws). A future that yields a buffer hands
 * ownership to whoever completes it; a caller that abandons such a future must release the
 * buffer when it arrives.
 *
 * <h2>Threads</h2>
 * Every method returns promptly and never blocks the caller on I/O, locks or native calls: work
 * happens on the implementation's own executors and the returned futures complete there. Callers
 * running on a Netty event loop hop back to it themselves.
 */
package dev.quarry.block;
