package dev.quarry.appliance.api;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.quarry.appliance.state.JsonStateFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The portals added through the API, kept in {@code config/portals.json} of the data folder so
 * that they are bound again after a restart (the configured portal is the configuration file's).
 * Each is written as {@code host:port}.
 *
 * <p>Thread-safe (one monitor); methods block on file I/O.
 */
public final class PortalStore {

    private final JsonStateFile<List<String>> state;

    public PortalStore(Path file) {
        this.state = new JsonStateFile<>(file, new TypeReference<>() { }, List::of);
    }

    /** The stored portals, empty when none were added. */
    public synchronized List<String> load() throws IOException {
        return state.load();
    }

    synchronized void add(String portal) {
        change(portal, true);
    }

    synchronized void remove(String portal) {
        change(portal, false);
    }

    private void change(String portal, boolean add) {
        try {
            List<String> next = new ArrayList<>(load());
            next.remove(portal);
            if (add) {
                next.add(portal);
            }
            state.save(next);
        } catch (IOException e) {
            throw new UncheckedIOException("storing portals in " + state.file() + " failed", e);
        }
    }

    /** "host:port" (or "[v6]:port") as an unresolved address; {@link IllegalArgumentException} when malformed. */
    public static InetSocketAddress parse(String portal) {
        int colon = portal.lastIndexOf(':');
        if (colon <= 0 || colon == portal.length() - 1) {
            throw new IllegalArgumentException("a portal is host:port: " + portal);
        }
        String host = portal.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(portal.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a portal is host:port: " + portal, e);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + portal);
        }
        return new InetSocketAddress(host, port);
    }

    /** The form portals are written in. */
    public static String format(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
