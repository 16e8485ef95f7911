package dev.quarry.iscsi.scsi;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * A {@link LogicalUnitStateStore} keeping one small properties file per logical unit, replaced
 * atomically on every save: write a temporary file beside it, fsync it, rename it over the old
 * one, fsync the directory (RELIABILITY §1.4), so that a crash leaves the old or the new state,
 * never a torn one.
 *
 * <pre>
 * format=1
 * mode.page.08=&lt;whole page, hex&gt;                    saved mode pages
 * pr.generation=7                                     persistent reservations (present only with APTPL)
 * pr.registration.0.key=&lt;hex&gt;  .initiator=  .isid=&lt;hex, absent: any&gt;  .targetPort=&lt;absent: all&gt;  .relativeTargetPort=
 * pr.reservation.type=&lt;TYPE code&gt;  pr.reservation.holder=&lt;registration index, absent: all registrants&gt;
 * </pre>
 *
 * <p>Thread-safe. {@link #load()} blocks; {@link #save} runs the file work on the executor it
 * was given, one save after the other in call order.
 */
public final class FileLogicalUnitStateStore implements LogicalUnitStateStore {

    private static final String FORMAT = "1";
    private static final HexFormat HEX = HexFormat.of();

    private final Path file;
    private final Executor executor;
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    /**
     * A store for the state in {@code file}, whose directory must exist. File I/O (including
     * fsync) runs on {@code executor}, which must not be an event loop.
     */
    public FileLogicalUnitStateStore(Path file, Executor executor) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
        this.executor = Objects.requireNonNull(executor, "executor");
        if (this.file.getParent() == null) {
            throw new IllegalArgumentException("file needs a parent directory: " + file);
        }
    }

    @Override
    public LogicalUnitState load() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return LogicalUnitState.EMPTY;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read logical unit state " + file, e);
        }
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
            return decode(properties);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("corrupt logical unit state " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public CompletionStage<Void> save(LogicalUnitState state) {
        byte[] bytes = encode(state).getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            CompletableFuture<Void> next = tail.handle((ignored, error) -> null)
                    .thenRunAsync(() -> write(bytes), executor);
            tail = next;
            return next;
        }
    }

    private void write(byte[] bytes) {
        Path directory = file.toAbsolutePath().getParent();
        Path temporary = directory.resolve(file.getFileName() + ".tmp");
        try {
            ensureDirectory(directory);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
                dir.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save logical unit state " + file, e);
        }
    }

    /** Creates the state directory on first use; its own entry is durable only once its parent is fsynced. */
    private static void ensureDirectory(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        Files.createDirectories(directory);
        try (FileChannel parent = FileChannel.open(directory.getParent(), StandardOpenOption.READ)) {
            parent.force(true);
        }
    }

    static String encode(LogicalUnitState state) {
        Map<String, String> entries = new TreeMap<>();
        entries.put("format", FORMAT);
        state.savedModePages().forEach((code, page) ->
                entries.put(String.format(Locale.ROOT, "mode.page.%02x", code), HEX.formatHex(page)));
        PersistentReservationState pr = state.reservations();
        if (pr != null) {
            entries.put("pr.generation", Integer.toString(pr.generation()));
            entries.put("pr.registrations", Integer.toString(pr.registrations().size()));
            for (int i = 0; i < pr.registrations().size(); i++) {
                Registration r = pr.registrations().get(i);
                String prefix = "pr.registration." + i + ".";
                entries.put(prefix + "key", Long.toHexString(r.key()));
                entries.put(prefix + "initiator", r.initiatorName());
                if (r.isid() != Registration.ANY_ISID) {
                    entries.put(prefix + "isid", Long.toHexString(r.isid()));
                }
                if (r.targetPortName() != null) {
                    entries.put(prefix + "targetPort", r.targetPortName());
                }
                entries.put(prefix + "relativeTargetPort", Integer.toString(r.relativeTargetPortId()));
            }
            if (pr.reservationType() != null) {
                entries.put("pr.reservation.type", Integer.toString(pr.reservationType().code()));
                if (pr.holderIndex() >= 0) {
                    entries.put("pr.reservation.holder", Integer.toString(pr.holderIndex()));
                }
            }
        }
        StringBuilder out = new StringBuilder("# Quarry logical unit state; replaced atomically, do not edit.\n");
        entries.forEach((key, value) -> out.append(key).append('=').append(escape(value)).append('\n'));
        return out.toString();
    }

    static LogicalUnitState decode(Properties properties) {
        if (!FORMAT.equals(properties.getProperty("format"))) {
            throw new IllegalArgumentException("unknown format " + properties.getProperty("format"));
        }
        Map<Integer, byte[]> pages = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith("mode.page.")) {
                pages.put(Integer.parseInt(name.substring("mode.page.".length()), 16),
                        HEX.parseHex(properties.getProperty(name)));
            }
        }
        PersistentReservationState reservations = null;
        if (properties.getProperty("pr.generation") != null) {
            reservations = decodeReservations(properties);
        }
        return new LogicalUnitState(reservations, pages);
    }

    private static PersistentReservationState decodeReservations(Properties properties) {
        int count = Integer.parseInt(required(properties, "pr.registrations"));
        List<Registration> registrations = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String prefix = "pr.registration." + i + ".";
            String isid = properties.getProperty(prefix + "isid");
            registrations.add(new Registration(required(properties, prefix + "initiator"),
                    isid == null ? Registration.ANY_ISID : Long.parseLong(isid, 16),
                    properties.getProperty(prefix + "targetPort"),
                    Integer.parseInt(required(properties, prefix + "relativeTargetPort")),
                    Long.parseUnsignedLong(required(properties, prefix + "key"), 16)));
        }
        String type = properties.getProperty("pr.reservation.type");
        ReservationType reservationType = type == null ? null : ReservationType.ofCode(Integer.parseInt(type));
        if (type != null && reservationType == null) {
            throw new IllegalArgumentException("unknown reservation type " + type);
        }
        String holder = properties.getProperty("pr.reservation.holder");
        return new PersistentReservationState(Integer.parseInt(required(properties, "pr.generation")), registrations,
                reservationType, holder == null ? -1 : Integer.parseInt(holder));
    }

    private static String required(Properties properties, String name) {
        String value = properties.getProperty(name);
        if (value == null) {
            throw new IllegalArgumentException("missing " + name);
        }
        return value;
    }

    /** Escapes a value for the properties format: backslashes, leading spaces and non-ASCII characters. */
    private static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (c < 0x20 || c > 0x7E || (c == ' ' && i == 0)) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
