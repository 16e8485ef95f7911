package dev.quarry.appliance.serve;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/**
 * The admin API's TLS server context from PEM files: a certificate chain and an unencrypted
 * PKCS#8 private key ({@code openssl pkcs8 -topk8 -nocrypt} converts other forms).
 *
 * <p>Stateless and thread-safe.
 */
public final class AdminTls {

    private AdminTls() {
    }

    /**
     * @throws IOException when a file is missing or unreadable, or does not hold what it should
     *     (the message names the file, never its content)
     */
    public static SslContext serverContext(Path certificate, Path privateKey) throws IOException {
        for (Path file : new Path[] {certificate, privateKey}) {
            if (!Files.isReadable(file)) {
                throw new IOException("TLS file " + file + " is missing or unreadable");
            }
        }
        try {
            return SslContextBuilder.forServer(certificate.toFile(), privateKey.toFile()).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IOException("cannot use certificate " + certificate + " with key " + privateKey
                    + " (the key must be unencrypted PKCS#8 PEM, BEGIN PRIVATE KEY)", e);
        }
    }
}
