package dev.quarry.appliance.serve;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.quarry.admin.http.HttpApiServer;
import dev.quarry.admin.http.Json;
import dev.quarry.admin.http.Role;
import dev.quarry.admin.http.TokenAuthenticator;
import dev.quarry.appliance.ApplianceSettings;
import dev.quarry.volume.VolumeManagerConfig;
import dev.quarry.volume.commit.CommitConfig;
import dev.quarry.volume.disk.DiskOpener;
import dev.quarry.volume.gc.GcConfig;
import dev.quarry.volume.meta.store.StoreConfig;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the YAML configuration file of {@code quarry serve} and turns it into appliance settings.
 * The file holds the admin API's tokens, so it must be readable by its owner only (mode 0600 or
 * 0400): anything more open is refused before the file is even parsed. Error messages name the
 * file and the setting, never a token.
 *
 * <p>Stateless and thread-safe.
 */
public final class ConfigFile {

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final Set<PosixFilePermission> OPEN_TO_OTHERS = Set.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private ConfigFile() {
    }

    /** Loads {@code file} after checking that only its owner can read it. */
    public static QuarryConfig load(Path file) throws ConfigException {
        checkPermissions(file);
        try {
            QuarryConfig config = YAML.readValue(file.toFile(), QuarryConfig.class);
            return config == null ? new QuarryConfig(null, null, null, null, null, null, null, null, null) : config;
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(file + ": unknown setting '" + e.getPropertyName() + "'" + where(e));
        } catch (ValueInstantiationException e) {
            throw new ConfigException(file + ": " + (e.getCause() == null ? "invalid value" : e.getCause().getMessage()) + where(e));
        } catch (JsonMappingException e) {
            throw new ConfigException(file + ": invalid value for '" + Json.fieldPath(e) + "'" + where(e));
        } catch (JacksonException e) {
            throw new ConfigException(file + ": not valid YAML" + where(e));
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
    }

    static void checkPermissions(Path file) throws ConfigException {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("configuration file " + file + " does not exist", e);
        } catch (IOException | UnsupportedOperationException e) {
            // A file system without POSIX permissions cannot prove the tokens are private: refuse.
            throw new ConfigException("cannot check the permissions of configuration file " + file + ": " + e.getMessage(), e);
        }
        if (permissions.stream().anyMatch(OPEN_TO_OTHERS::contains)) {
            throw new ConfigException("configuration file " + file + " holds API tokens but is mode "
                    + mode(permissions) + "; make it readable by its owner only: chmod 600 " + file);
        }
    }

    /** The appliance settings {@code config} describes; relative paths are resolved against {@code base}. */
    public static ApplianceSettings settings(QuarryConfig config, Path base, List<DiskOpener> extraOpeners) throws ConfigException {
        try {
            VolumeManagerConfig volumes = new VolumeManagerConfig(
                    new StoreConfig(config.store().blockCacheBytes(), config.store().writeBufferBytes(), config.store().backgroundJobs()),
                    new CommitConfig(config.commit().intervalMillis(), config.commit().maxBatchOps(), config.commit().maxPendingOps()),
                    new GcConfig(config.gc().intervalMillis(), config.gc().idleLiveFraction(), config.gc().pressureFreeFraction(),
                            config.gc().pressureLiveFraction(), config.gc().segmentsPerPass(), config.gc().spaceWaitMillis()),
                    config.volumes().mapCacheEntries(), config.volumes().threads(), VolumeManagerConfig.DEFAULT.openers());
            if (!extraOpeners.isEmpty()) {
                List<DiskOpener> openers = new java.util.ArrayList<>(volumes.openers());
                openers.addAll(extraOpeners);
                volumes = volumes.withOpeners(openers);
            }
            return new ApplianceSettings(base.resolve(config.data()).normalize(), config.iscsi().bind(),
                    port(config.iscsi().port(), "iscsi.port"),
                    config.http().bind(), port(config.http().port(), "http.port"), security(config, base), volumes);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("configuration: " + e.getMessage(), e);
        }
    }

    private static HttpApiServer.Security security(QuarryConfig config, Path base) throws ConfigException {
        Map<String, Role> tokens = new HashMap<>();
        for (QuarryConfig.Token token : config.tokens()) {
            if (token.token() == null || token.role() == null) {
                throw new ConfigException("configuration: token " + token.name() + " needs a role and a token");
            }
            if (tokens.put(token.token(), token.role().role()) != null) {
                throw new ConfigException("configuration: two tokens are the same (one is named " + token.name() + ")");
            }
        }
        if (!tokens.containsValue(Role.ADMIN)) {
            throw new ConfigException("configuration: no token with role admin; add one under tokens: "
                    + "(generate it with: openssl rand -hex 24)");
        }
        SslContext tls = null;
        QuarryConfig.Tls files = config.http().tls();
        if (files != null && (files.certificate() != null || files.privateKey() != null)) {
            if (files.certificate() == null || files.privateKey() == null) {
                throw new ConfigException("configuration: http.tls needs both certificate and privateKey");
            }
            try {
                tls = AdminTls.serverContext(base.resolve(files.certificate()), base.resolve(files.privateKey()));
            } catch (IOException e) {
                throw new ConfigException("configuration: " + e.getMessage(), e);
            }
        }
        return new HttpApiServer.Security(TokenAuthenticator.of(tokens), tls);
    }

    private static int port(int port, String setting) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(setting + " must be 0..65535: " + port);
        }
        return port;
    }

    private static String where(JacksonException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
    }

    private static String mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            mode |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", mode);
    }
}
