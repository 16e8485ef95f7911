package dev.quarry.appliance.cli;

import dev.quarry.appliance.ExitCodes;
import dev.quarry.appliance.serve.ConfigException;
import dev.quarry.appliance.serve.ConfigFile;
import dev.quarry.appliance.serve.QuarryConfig;
import dev.quarry.appliance.serve.ServeCommand;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * How a command reaches the API, shared by every API command: the URL, the token and the
 * certificate to trust, each from an option, the environment, or the server's configuration file
 * (readable on the appliance host by its admin), and whether to print JSON.
 *
 * <p>Not thread-safe; one per command invocation.
 */
public final class ApiOptions {

    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Admin API, e.g. https://host:8080 (default: $QUARRY_URL, else from --config, else http://127.0.0.1:8080).")
    String url;

    @Option(names = "--token-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "File holding the bearer token (default: $QUARRY_TOKEN, else the first admin token of --config).")
    Path tokenFile;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "The server's configuration file, for URL, token and certificate (default: "
                    + ServeCommand.DEFAULT_CONFIG + " when readable).")
    Path config;

    @Option(names = "--cacert", scope = ScopeType.INHERIT, paramLabel = "PEM",
            description = "Trust this certificate for https (default: the one of --config, else the JDK's CAs).")
    Path cacert;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print JSON instead of tables.")
    boolean json;

    private final Map<String, String> environment;
    private RestClient client;

    public ApiOptions() {
        this(System.getenv());
    }

    ApiOptions(Map<String, String> environment) {
        this.environment = environment;
    }

    /** The client, built on first use. */
    public RestClient client() {
        if (client == null) {
            client = build();
        }
        return client;
    }

    public boolean json() {
        return json;
    }

    private RestClient build() {
        QuarryConfig server = serverConfig();
        String base = firstOf(url, environment.get("QUARRY_URL"), server == null ? null : urlOf(server), "http://127.0.0.1:8080");
        String token;
        try {
            token = firstOf(tokenFile == null ? null : Files.readString(tokenFile).trim(), environment.get("QUARRY_TOKEN"),
                    server == null ? null : tokenOf(server));
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read --token-file " + tokenFile + ": " + e.getMessage(), e);
        }
        Path trust = cacert;
        if (trust == null && server != null && server.http().tls() != null && server.http().tls().certificate() != null) {
            trust = configFolder().resolve(server.http().tls().certificate());
        }
        URI uri = URI.create(base.endsWith("/") ? base : base + "/");
        return new RestClient(uri, token, trust == null ? null : trusting(trust));
    }

    private QuarryConfig serverConfig() {
        Path file = config;
        if (file == null) {
            Path fallback = Path.of(ServeCommand.DEFAULT_CONFIG);
            if (!Files.isReadable(fallback) || url != null || environment.containsKey("QUARRY_URL")) {
                return null;
            }
            file = fallback;
        }
        try {
            return ConfigFile.load(file.toAbsolutePath());
        } catch (ConfigException e) {
            throw new CliException(ExitCodes.CONFIGURATION, e.getMessage(), e);
        }
    }

    private Path configFolder() {
        return (config == null ? Path.of(ServeCommand.DEFAULT_CONFIG) : config).toAbsolutePath().getParent();
    }

    private static String urlOf(QuarryConfig server) {
        String host = server.http().bind();
        if (host.equals("0.0.0.0") || host.equals("::") || host.isEmpty()) {
            host = "127.0.0.1";
        } else if (host.contains(":")) {
            host = "[" + host + "]";
        }
        boolean tls = server.http().tls() != null && server.http().tls().certificate() != null;
        return (tls ? "https" : "http") + "://" + host + ":" + server.http().port();
    }

    private static String tokenOf(QuarryConfig server) {
        return server.tokens().stream().filter(t -> t.role() == QuarryConfig.TokenRole.ADMIN).map(QuarryConfig.Token::token)
                .findFirst().orElse(server.tokens().isEmpty() ? null : server.tokens().get(0).token());
    }

    private static SSLContext trusting(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int n = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("quarry-" + n++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new CliException(ExitCodes.USAGE, "cannot use certificate " + pem + ": " + e.getMessage(), e);
        }
    }

    private static String firstOf(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
