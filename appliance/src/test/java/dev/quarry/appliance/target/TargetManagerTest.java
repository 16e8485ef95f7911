package dev.quarry.appliance.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.appliance.testing.ApplianceFixture;
import dev.quarry.iscsi.server.TargetRegistry;
import dev.quarry.volume.VolumeManager;
import dev.quarry.volume.VolumeManagerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetManagerTest {

    private static final String NAME = "iqn.2026-11.dev.quarry:unit";

    @TempDir
    Path data;

    private VolumeManager volumes;
    private ExecutorService stateIo;
    private LunRegistry luns;
    private TargetRegistry registry;
    private TargetManager targets;

    @BeforeEach
    void open() throws Exception {
        volumes = VolumeManager.open(data.resolve("metadata"), VolumeManagerConfig.DEFAULT);
        ApplianceFixture.pool(volumes, data, 256L << 20);
        ApplianceFixture.volume(volumes, "vol1", 64L << 20);
        stateIo = Executors.newSingleThreadExecutor();
        startManager();
    }

    private void startManager() throws Exception {
        luns = new LunRegistry(volumes.volumes(), volumes.snapshots(), data.resolve("luns"), stateIo);
        registry = new TargetRegistry();
        targets = new TargetManager(new TargetConfigStore(data.resolve("config/targets.json")), luns, registry, List.of(1));
        targets.start();
    }

    @AfterEach
    void close() {
        luns.close();
        stateIo.shutdown();
        volumes.close();
    }

    @Test
    void shouldCreateIdempotentlyByNameAndRefuseADifferentDefinition() {
        TargetDefinition definition = TargetDefinition.open(NAME).withLun(new LunMapping(0, "vol1", false));
        assertThat(targets.create(definition)).isEqualTo(definition);
        assertThat(targets.create(definition)).isEqualTo(definition);
        assertThatThrownBy(() -> targets.create(definition.withAlias("other"))).isInstanceOf(IllegalStateException.class);
        assertThat(registry.find(NAME)).isPresent();
    }

    @Test
    void shouldRefuseAMappingOfAMissingVolumeWithoutStoringAnything() throws Exception {
        assertThatThrownBy(() -> targets.create(TargetDefinition.open(NAME).withLun(new LunMapping(0, "nope", false))))
                .isInstanceOf(NoSuchElementException.class);
        assertThat(targets.targets()).isEmpty();
        assertThat(registry.find(NAME)).isEmpty();
        assertThat(Files.exists(data.resolve("config/targets.json"))).isFalse();
    }

    @Test
    void shouldRefuseChapSecretsShorterThanTwelveBytes() {
        assertThatThrownBy(() -> new ChapSettings("user", "short", null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldKeepTargetsAclsChapAndLunMapsAcrossARestartInAnOwnerOnlyFile() throws Exception {
        ChapSettings chap = new ChapSettings("host1", "host1-secret-16", "quarry", "target-secret-16");
        targets.create(TargetDefinition.open(NAME).withAlias("unit")
                .withAllowedInitiators(List.of("iqn.2026-11.test:host1"))
                .withChap(chap)
                .withLun(new LunMapping(0, "vol1", false))
                .withLun(new LunMapping(5, "vol1", true)));
        targets.discoveryChap(new ChapSettings("disco", "discovery-secret", null, null));
        byte[] identity = registry.find(NAME).orElseThrow().scsiTarget() instanceof dev.quarry.iscsi.scsi.ScsiTargetDevice device
                ? device.luns().get(0).identity().naa() : null;

        luns.close();
        startManager();

        TargetDefinition restored = targets.target(NAME).orElseThrow();
        assertThat(restored.chap()).isEqualTo(chap);
        assertThat(restored.allowedInitiators()).containsExactly("iqn.2026-11.test:host1");
        assertThat(restored.luns()).containsExactly(new LunMapping(0, "vol1", false), new LunMapping(5, "vol1", true));
        var device = (dev.quarry.iscsi.scsi.ScsiTargetDevice) registry.find(NAME).orElseThrow().scsiTarget();
        assertThat(device.luns().get(0).identity().naa()).isEqualTo(identity);
        assertThat(device.luns().get(5).identity().naa()).as("a read-only export is a unit of its own").isNotEqualTo(identity);
        assertThat(device.luns().get(5).volume().readOnly()).isTrue();
        assertThat(registry.discoveryChap()).isPresent();
        assertThat(registry.find(NAME).orElseThrow().admits("iqn.2026-11.test:other")).isFalse();
        assertThat(Files.getPosixFilePermissions(data.resolve("config/targets.json")))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        assertThat(chap.toString()).doesNotContain("secret-16");
    }

    @Test
    void shouldUnmapAndRemapLunsAtRunTime() {
        targets.create(TargetDefinition.open(NAME).withLun(new LunMapping(0, "vol1", false)));
        targets.update(NAME, t -> t.withoutLun(0).withLun(new LunMapping(3, "vol1", false)));
        var device = (dev.quarry.iscsi.scsi.ScsiTargetDevice) registry.find(NAME).orElseThrow().scsiTarget();
        assertThat(device.luns().keySet()).containsExactly(3);
        targets.delete(NAME);
        assertThat(registry.find(NAME)).isEmpty();
        assertThat(targets.targets()).isEmpty();
    }

    @Test
    void shouldExportASnapshotReadOnlyWithAnIdentityOfItsOwnAndReleaseItWhenUnmapped() {
        volumes.snapshots().createSnapshot("vol1", "monday");
        targets.create(TargetDefinition.open(NAME).withLun(new LunMapping(0, "vol1", false))
                .withLun(new LunMapping(1, "vol1@monday", false)));
        assertThat(targets.target(NAME).orElseThrow().luns().get(1).readOnly()).as("a snapshot LUN is read-only").isTrue();
        var device = (dev.quarry.iscsi.scsi.ScsiTargetDevice) registry.find(NAME).orElseThrow().scsiTarget();
        assertThat(device.luns().get(1).volume().readOnly()).isTrue();
        assertThat(device.luns().get(1).identity().naa()).isNotEqualTo(device.luns().get(0).identity().naa());
        assertThatThrownBy(() -> volumes.snapshots().deleteSnapshot("vol1", "monday"))
                .as("exported: the view is open").isInstanceOf(IllegalStateException.class);

        targets.update(NAME, t -> t.withoutLun(1));
        volumes.snapshots().deleteSnapshot("vol1", "monday").completion().join();
        assertThat(volumes.snapshots().listSnapshots("vol1")).isEmpty();
    }

    @Test
    void shouldKeepASnapshotLunIdentityAcrossARestartAndReleaseItWithItsTarget() throws Exception {
        long id = volumes.snapshots().createSnapshot("vol1", "keep").id();
        targets.create(TargetDefinition.open(NAME).withLun(new LunMapping(2, "vol1@keep", true)));
        byte[] naa = ((dev.quarry.iscsi.scsi.ScsiTargetDevice) registry.find(NAME).orElseThrow().scsiTarget())
                .luns().get(2).identity().naa();
        java.util.UUID volume = volumes.volumes().volume("vol1").orElseThrow().uuid();
        assertThat(naa).isEqualTo(dev.quarry.appliance.identity.LunIdentities.of(LunRegistry.snapshotIdentity(volume, id)).naa());

        luns.close();
        startManager();
        var device = (dev.quarry.iscsi.scsi.ScsiTargetDevice) registry.find(NAME).orElseThrow().scsiTarget();
        assertThat(device.luns().get(2).identity().naa()).isEqualTo(naa);

        targets.delete(NAME);
        volumes.snapshots().deleteSnapshot("vol1", "keep").completion().join();
    }

    @Test
    void shouldRefuseAMappingOfAMissingSnapshot() {
        assertThatThrownBy(() -> targets.create(TargetDefinition.open(NAME).withLun(new LunMapping(0, "vol1@nope", true))))
                .isInstanceOf(NoSuchElementException.class).hasMessageContaining("vol1@nope");
        assertThat(targets.targets()).isEmpty();
    }
}
