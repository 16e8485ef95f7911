package dev.quarry.appliance.disk;

import dev.quarry.appliance.state.StateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where the CHAP secrets of remote backend disks live, so that disk records (and every log line
 * that shows a locator) never hold one: a file readable by its owner only, replaced atomically
 * and durably on every change ({@link StateFiles#write}). One line per secret:
 * {@code base64(user@host:port/target) SP base64(secret)}.
 *
 * <p>Thread-safe; methods block on file I/O (call them from admin threads or at start-up).
 */
public final class ChapSecrets {

    private final Path file;
    private final Map<String, String> secrets = new TreeMap<>();

    private ChapSecrets(Path file) {
        this.file = file;
    }

    /** The store in {@code file}, read now when it exists. */
    public static ChapSecrets open(Path file) throws IOException {
        ChapSecrets store = new ChapSecrets(file);
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = line.split(" ");
                if (fields.length != 2) {
                    throw new IOException(file + " is damaged (a line is not two base64 fields)");
                }
                store.secrets.put(decode(fields[0]), decode(fields[1]));
            }
        }
        return store;
    }

    /** The secret filed under {@code key}. */
    public synchronized Optional<String> find(String key) {
        return Optional.ofNullable(secrets.get(key));
    }

    /** Files {@code secret} under {@code key} (replacing an older one) and makes it durable. */
    public synchronized void put(String key, String secret) throws IOException {
        if (secret.equals(secrets.get(key))) {
            return;
        }
        Map<String, String> next = new TreeMap<>(secrets);
        next.put(key, secret);
        write(next);
        secrets.put(key, secret);
    }

    /** Forgets the secret filed under {@code key}. */
    public synchronized void remove(String key) throws IOException {
        if (!secrets.containsKey(key)) {
            return;
        }
        Map<String, String> next = new TreeMap<>(secrets);
        next.remove(key);
        write(next);
        secrets.remove(key);
    }

    private void write(Map<String, String> content) throws IOException {
        StringBuilder text = new StringBuilder();
        Base64.Encoder encoder = Base64.getEncoder();
        content.forEach((key, secret) -> text.append(encoder.encodeToString(key.getBytes(StandardCharsets.UTF_8))).append(' ')
                .append(encoder.encodeToString(secret.getBytes(StandardCharsets.UTF_8))).append('\n'));
        StateFiles.write(file, text.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private static String decode(String field) throws IOException {
        try {
            return new String(Base64.getDecoder().decode(field), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IOException("a CHAP secret file line is not base64", e);
        }
    }
}
