package dev.quarry.appliance.disk;

import dev.quarry.block.BlockDevice;
import dev.quarry.iscsi.initiator.InitiatorConfig;
import dev.quarry.iscsi.initiator.IscsiInitiator;
import dev.quarry.iscsi.initiator.RemoteLun;
import dev.quarry.iscsi.initiator.RemoteTarget;
import dev.quarry.iscsi.login.ChapCredentials;
import dev.quarry.volume.disk.DiskOpener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Lets pools use LUNs of other arrays as backend disks: opens locators
 * {@code iscsi://[user[%secret]@]host[:port]/target-iqn/lun} ({@link IscsiLocator}) as
 * {@link dev.quarry.iscsi.initiator.RemoteLun}s through one {@link IscsiInitiator}.
 *
 * <p>Secrets stay out of disk records: {@link #register} files a locator's inline secret in the
 * {@link ChapSecrets} store and returns the locator without it, which is what goes into the
 * {@code DiskSpec}; {@link #open} then finds the secret by user, portal and target. A locator that
 * still carries its secret also opens, but the pool would store and log it as given.
 *
 * <p>Thread-safe. {@link #open} blocks up to the initiator's open timeout plus the time the LUN
 * takes to answer its probe (DiskOpener's contract: start-up or admin threads only).
 */
public final class IscsiDiskOpener implements DiskOpener, AutoCloseable {

    private final IscsiInitiator initiator;
    private final ChapSecrets secrets;
    private final boolean ownsInitiator;

    /** An opener on {@code initiator} (left open by {@link #close()}), with secrets from {@code secrets}. */
    public IscsiDiskOpener(IscsiInitiator initiator, ChapSecrets secrets) {
        this(initiator, secrets, false);
    }

    private IscsiDiskOpener(IscsiInitiator initiator, ChapSecrets secrets, boolean ownsInitiator) {
        this.initiator = initiator;
        this.secrets = secrets;
        this.ownsInitiator = ownsInitiator;
    }

    /**
     * An opener with its own initiator ({@link InitiatorConfig#defaults} for {@code initiatorName})
     * and the secret store in {@code secretFile}; {@link #close()} stops the initiator.
     */
    public static IscsiDiskOpener start(String initiatorName, Path secretFile) throws IOException {
        return start(InitiatorConfig.defaults(initiatorName), secretFile);
    }

    /** As {@link #start(String, Path)}, with every initiator setting given. */
    public static IscsiDiskOpener start(InitiatorConfig config, Path secretFile) throws IOException {
        ChapSecrets store = ChapSecrets.open(secretFile);
        return new IscsiDiskOpener(IscsiInitiator.start(config), store, true);
    }

    /**
     * Files the inline secret of {@code locator}, if it has one, and returns the locator to give
     * the pool: the same without its secret. Blocks (fsync).
     *
     * @throws IllegalArgumentException when {@code locator} is malformed (the message shows no secret)
     */
    public String register(String locator) throws IOException {
        IscsiLocator parsed = IscsiLocator.parse(locator);
        if (parsed.inlineSecret().isPresent()) {
            secrets.put(parsed.secretKey(), parsed.secret());
        }
        return parsed.withoutSecret().format();
    }

    @Override
    public boolean handles(String locator) {
        return locator.regionMatches(true, 0, IscsiLocator.SCHEME, 0, IscsiLocator.SCHEME.length());
    }

    @Override
    public BlockDevice open(String locator) throws IOException {
        IscsiLocator parsed;
        try {
            parsed = IscsiLocator.parse(locator);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        RemoteTarget target = RemoteTarget.of(InetSocketAddress.createUnresolved(parsed.host(), parsed.port()),
                parsed.targetName(), parsed.lun());
        if (parsed.user() != null) {
            String secret = parsed.inlineSecret().or(() -> secrets.find(parsed.secretKey())).orElseThrow(() ->
                    new IOException("no CHAP secret filed for " + parsed.secretKey() + "; register " + parsed + " with its secret"));
            try {
                target = target.withChap(ChapCredentials.of(parsed.user(), secret));
            } catch (IllegalArgumentException e) {
                throw new IOException("unusable CHAP credentials for " + parsed + ": " + e.getMessage(), e);
            }
        }
        long wait = initiator.config().openTimeout().toMillis() + initiator.config().commandTimeout().toMillis();
        CompletableFuture<RemoteLun> opening = initiator.open(target);
        try {
            return opening.get(wait, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | CompletionException e) {
            throw new IOException("cannot open " + parsed + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            opening.cancel(false);
            throw new IOException("cannot open " + parsed + " within " + wait + " ms", e);
        } catch (InterruptedException e) {
            opening.cancel(false);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted opening " + parsed, e);
        }
    }

    /** Stops the initiator when this opener started it (which closes the LUNs it opened). */
    @Override
    public void close() {
        if (ownsInitiator) {
            initiator.close();
        }
    }
}
