package dev.quarry.volume.disk;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The few file-system operations disks need beyond {@link FileChannel}: opening with O_DIRECT,
 * sizing block devices, full positional reads and writes, and fsync of a directory so that a
 * newly created file survives a crash (fsync(2): the directory entry needs its own fsync).
 */
final class FileChannels {

    private FileChannels() {
    }

    static FileChannel open(Path path, boolean direct) throws IOException {
        List<OpenOption> options = new ArrayList<>(List.of(StandardOpenOption.READ, StandardOpenOption.WRITE));
        if (direct) {
            options.add(ExtendedOpenOption.DIRECT);
        }
        return FileChannel.open(path, options.toArray(OpenOption[]::new));
    }

    /**
     * Creates a regular file {@code bytes} long without writing it (sparse) and makes its size
     * and its directory entry durable.
     */
    static void createSparse(Path path, long bytes) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
            // Writing the last byte extends the file and leaves the rest as a hole.
            channel.write(ByteBuffer.wrap(new byte[1]), bytes - 1);
            channel.force(true);
        }
        syncDirectory(parent);
    }

    /**
     * The size of a regular file, or of a block device (whose fstat size is 0: the kernel's
     * sysfs entry counts 512-byte sectors).
     */
    static long sizeOf(Path path, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size > 0 || Files.isRegularFile(path)) {
            return size;
        }
        Path device = path.toRealPath();
        Path sectors = Path.of("/sys/class/block", device.getFileName().toString(), "size");
        if (Files.isReadable(sectors)) {
            return Long.parseLong(Files.readString(sectors).trim()) * 512L;
        }
        throw new IOException("cannot tell the size of " + path);
    }

    static void readFully(FileChannel channel, ByteBuffer target, long position) throws IOException {
        long at = position;
        while (target.hasRemaining()) {
            int n = channel.read(target, at);
            if (n < 0) {
                throw new EOFException("end of file at " + at);
            }
            at += n;
        }
    }

    /** Writes all of {@code source} at {@code position}; returns the bytes written. */
    static int writeFully(FileChannel channel, ByteBuffer source, long position) throws IOException {
        int total = 0;
        while (source.hasRemaining()) {
            total += channel.write(source, position + total);
        }
        return total;
    }

    /** fsync of a directory, so that entries created in it are durable. */
    static void syncDirectory(Path directory) throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
