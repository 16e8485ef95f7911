package dev.quarry.appliance.serve;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.quarry.admin.http.Role;
import dev.quarry.appliance.config.ByteSize;
import java.util.List;
import java.util.Locale;

/**
 * The configuration file of {@code quarry serve} as records; every absent setting takes the
 * default written here and in {@code etc/quarry.yaml}, which documents each of them.
 *
 * <p>Immutable and thread-safe.
 */
public record QuarryConfig(String data, Listener iscsi, Http http, List<Token> tokens, RemoteDisks remoteDisks, Store store,
                           Commit commit, Gc gc, Volumes volumes) {

    public QuarryConfig {
        data = data == null ? "/var/lib/quarry" : data;
        iscsi = iscsi == null ? new Listener(null, null) : iscsi;
        http = http == null ? new Http(null, null, null) : http;
        tokens = tokens == null ? List.of() : List.copyOf(tokens);
        remoteDisks = remoteDisks == null ? new RemoteDisks(null) : remoteDisks;
        store = store == null ? new Store(null, null, null) : store;
        commit = commit == null ? new Commit(null, null, null) : commit;
        gc = gc == null ? new Gc(null, null, null, null, null, null) : gc;
        volumes = volumes == null ? new Volumes(null, null) : volumes;
    }

    /** Where the iSCSI portal listens: all addresses, port 3260. */
    public record Listener(String bind, Integer port) {
        public Listener {
            bind = bind == null ? "0.0.0.0" : bind;
            port = port == null ? 3260 : port;
        }
    }

    /** Where the admin API listens (loopback, port 8080) and its TLS files (none: plain HTTP). */
    public record Http(String bind, Integer port, Tls tls) {
        public Http {
            bind = bind == null ? "127.0.0.1" : bind;
            port = port == null ? 8080 : port;
        }
    }

    /** PEM certificate chain and unencrypted PKCS#8 key; relative paths are relative to the configuration file. */
    public record Tls(String certificate, String privateKey) {
    }

    /** A bearer token of the admin API: a name for people, a role, and the token itself (16+ characters). */
    public record Token(String name, TokenRole role, String token) {
        @Override
        public String toString() {
            return "Token[name=" + name + ", role=" + role + ", token hidden]";
        }
    }

    /** The two roles as the file spells them. */
    public enum TokenRole {
        ADMIN(Role.ADMIN), READ_ONLY(Role.READ_ONLY);

        private final Role role;

        TokenRole(Role role) {
            this.role = role;
        }

        public Role role() {
            return role;
        }

        @JsonCreator
        public static TokenRole parse(String text) {
            return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }

        @JsonValue
        public String spelling() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Pools on LUNs of other arrays: the initiator name Quarry logs in with (none: iscsi:// disks are refused). */
    public record RemoteDisks(String initiatorName) {
    }

    /** RocksDB memory: block cache 64MiB, memtables 64MiB, 2 background jobs. */
    public record Store(String blockCache, String writeBuffers, Integer backgroundJobs) {
        public Store {
            blockCache = blockCache == null ? "64MiB" : blockCache;
            writeBuffers = writeBuffers == null ? "64MiB" : writeBuffers;
            backgroundJobs = backgroundJobs == null ? 2 : backgroundJobs;
        }

        long blockCacheBytes() {
            return ByteSize.parse(blockCache);
        }

        long writeBufferBytes() {
            return ByteSize.parse(writeBuffers);
        }
    }

    /** Group commit: 5 ms, 16384 changes per batch, 262144 pending. */
    public record Commit(Long intervalMillis, Integer maxBatchOps, Integer maxPendingOps) {
        public Commit {
            intervalMillis = intervalMillis == null ? 5L : intervalMillis;
            maxBatchOps = maxBatchOps == null ? 16384 : maxBatchOps;
            maxPendingOps = maxPendingOps == null ? 262144 : maxPendingOps;
        }
    }

    /**
     * The segment cleaner: every 200 ms, 25 % live when idle, pressure below 25 % free segments
     * up to 97 % live, 4 segments per pass, writers wait up to 20 s for space.
     */
    public record Gc(Long intervalMillis, Double idleLiveFraction, Double pressureFreeFraction, Double pressureLiveFraction,
                     Integer segmentsPerPass, Long spaceWaitMillis) {
        public Gc {
            intervalMillis = intervalMillis == null ? 200L : intervalMillis;
            idleLiveFraction = idleLiveFraction == null ? 0.25 : idleLiveFraction;
            pressureFreeFraction = pressureFreeFraction == null ? 0.25 : pressureFreeFraction;
            pressureLiveFraction = pressureLiveFraction == null ? 0.97 : pressureLiveFraction;
            segmentsPerPass = segmentsPerPass == null ? 4 : segmentsPerPass;
            spaceWaitMillis = spaceWaitMillis == null ? 20_000L : spaceWaitMillis;
        }
    }

    /** The block-map cache (1 Mi slots) and the volume I/O threads (4). */
    public record Volumes(Integer mapCacheEntries, Integer threads) {
        public Volumes {
            mapCacheEntries = mapCacheEntries == null ? 1 << 20 : mapCacheEntries;
            threads = threads == null ? 4 : threads;
        }
    }

    @Override
    public String toString() {
        return "QuarryConfig[data=" + data + ", iscsi=" + iscsi + ", http=" + http + ", " + tokens.size() + " tokens hidden]";
    }
}
