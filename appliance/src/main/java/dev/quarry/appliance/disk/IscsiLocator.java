package dev.quarry.appliance.disk;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The locator of a backend disk that is a LUN of another array:
 * {@code iscsi://[user[%secret]@]host[:port]/target-iqn/lun} (libiscsi's URL form; IPv6 hosts in
 * brackets, port 3260 when omitted). The user is the CHAP name we log in with; the secret, when
 * present, is everything after the first {@code %} up to the last {@code @}, taken literally.
 *
 * <p>Only {@link #withoutSecret()} form is ever stored or shown: {@link #toString()} and every
 * parse error leave the secret out (see docs/iscsi-initiator.md, "Locators and secrets").
 *
 * <p>Immutable and thread-safe.
 *
 * @param host the portal's host name or address (IPv6 without brackets)
 * @param port the portal's TCP port
 * @param targetName the target's iSCSI name
 * @param lun the LUN
 * @param user the CHAP name, or {@code null} without CHAP
 * @param secret the CHAP secret when given inline, or {@code null}
 */
public record IscsiLocator(String host, int port, String targetName, int lun, String user, String secret) {

    /** The scheme every iSCSI locator starts with. */
    public static final String SCHEME = "iscsi://";
    /** The IANA iSCSI port. */
    public static final int DEFAULT_PORT = 3260;

    public IscsiLocator {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(targetName, "targetName");
        if (host.isEmpty() || targetName.isEmpty() || port < 1 || port > 65535 || lun < 0 || lun > 0x3FFF) {
            throw new IllegalArgumentException("an iSCSI locator needs a host, a port 1..65535, a target and a LUN 0..16383");
        }
        if (user != null && user.isEmpty()) {
            throw new IllegalArgumentException("an empty CHAP user");
        }
        if (secret != null && user == null) {
            throw new IllegalArgumentException("a CHAP secret without a user");
        }
    }

    /**
     * Parses {@code locator}.
     *
     * @throws IllegalArgumentException when it is not an iSCSI locator; the message shows the
     *     locator without its secret
     */
    public static IscsiLocator parse(String locator) {
        if (locator == null || !locator.toLowerCase(Locale.ROOT).startsWith(SCHEME)) {
            throw new IllegalArgumentException("not an iscsi:// locator");
        }
        String rest = locator.substring(SCHEME.length());
        int at = rest.lastIndexOf('@');
        String user = null;
        String secret = null;
        if (at >= 0) {
            String credentials = rest.substring(0, at);
            int split = credentials.indexOf('%');
            user = split < 0 ? credentials : credentials.substring(0, split);
            secret = split < 0 ? null : credentials.substring(split + 1);
            rest = rest.substring(at + 1);
        }
        String shown = SCHEME + (user == null ? "" : user + (secret == null ? "" : "%<secret>") + "@") + rest;
        int slash = rest.indexOf('/');
        int lastSlash = rest.lastIndexOf('/');
        if (slash <= 0 || lastSlash == slash) {
            throw new IllegalArgumentException("expected iscsi://[user[%secret]@]host[:port]/target-iqn/lun, got " + shown);
        }
        String[] portal = portal(rest.substring(0, slash), shown);
        try {
            return new IscsiLocator(portal[0], Integer.parseInt(portal[1]), rest.substring(slash + 1, lastSlash),
                    Integer.parseInt(rest.substring(lastSlash + 1)), user, secret);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port or LUN in " + shown, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + ": " + shown, e);
        }
    }

    /** Host and port of {@code authority} ({@code host}, {@code host:port}, {@code [v6]}, {@code [v6]:port}). */
    private static String[] portal(String authority, String shown) {
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed IPv6 address in " + shown);
            }
            String after = authority.substring(close + 1);
            if (!after.isEmpty() && !after.startsWith(":")) {
                throw new IllegalArgumentException("bad portal in " + shown);
            }
            return new String[] {authority.substring(1, close), after.isEmpty() ? "" + DEFAULT_PORT : after.substring(1)};
        }
        int colon = authority.lastIndexOf(':');
        return colon < 0 ? new String[] {authority, "" + DEFAULT_PORT}
                : new String[] {authority.substring(0, colon), authority.substring(colon + 1)};
    }

    /** The secret given inline, if any. */
    public Optional<String> inlineSecret() {
        return Optional.ofNullable(secret);
    }

    /** This locator without its secret: what disk records store. */
    public IscsiLocator withoutSecret() {
        return new IscsiLocator(host, port, targetName, lun, user, null);
    }

    /** What the secret store files the secret of this locator's user under: {@code user@host:port/target}. */
    public String secretKey() {
        return user + "@" + portal() + "/" + targetName;
    }

    /** The locator as text, <em>without</em> the secret. */
    public String format() {
        return SCHEME + (user == null ? "" : user + "@") + portal() + "/" + targetName + "/" + lun;
    }

    private String portal() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return format();
    }
}
