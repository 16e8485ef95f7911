package dev.quarry.iscsi.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.stream.Collectors;

/**
 * Golden PDUs captured from real initiators (see {@code /work/shared/traces}), kept as hex files
 * under {@code src/test/resources/pdu/}. Lines starting with {@code #} are comments.
 *
 * <p>Stateless and thread-safe.
 */
public final class PduFixtures {

    private PduFixtures() {
    }

    /** The bytes of fixture {@code name} (without the {@code .hex} suffix). */
    public static byte[] load(String name) {
        try (InputStream in = PduFixtures.class.getResourceAsStream("/pdu/" + name + ".hex")) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            String hex = new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines()
                    .filter(line -> !line.startsWith("#"))
                    .map(String::strip)
                    .collect(Collectors.joining());
            return HexFormat.of().parseHex(hex);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
