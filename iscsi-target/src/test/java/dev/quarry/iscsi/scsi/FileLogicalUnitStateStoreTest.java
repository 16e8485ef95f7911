package dev.quarry.iscsi.scsi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLogicalUnitStateStoreTest {

    @TempDir
    Path directory;
    private final ExecutorService io = Executors.newSingleThreadExecutor();

    @AfterEach
    void tearDown() {
        io.shutdownNow();
    }

    private FileLogicalUnitStateStore store() {
        return new FileLogicalUnitStateStore(directory.resolve("unit.state"), io);
    }

    private static LogicalUnitState sample(int generation) {
        List<Registration> registrations = List.of(
                new Registration("iqn.2026-01.dev.quarry:host-a", 0x023d00000001L, "iqn.t,t,0x0001", 1, 0xDEADBEEFCAFEL),
                new Registration("iqn.2026-01.dev.quarry:host-b", Registration.ANY_ISID, null, 0, -1L));
        return new LogicalUnitState(new PersistentReservationState(generation, registrations,
                ReservationType.WRITE_EXCLUSIVE_REGISTRANTS_ONLY, 0), Map.of(0x08, new byte[] {8, 18, 4, 0}));
    }

    @Test
    void shouldReadNothingBeforeTheFirstSave() {
        assertThat(store().load()).isEqualTo(LogicalUnitState.EMPTY);
    }

    @Test
    void shouldReadBackWhatASecondStoreInstanceSaved() throws Exception {
        store().save(sample(41)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        LogicalUnitState loaded = store().load();
        assertThat(loaded.reservations()).isEqualTo(sample(41).reservations());
        assertThat(loaded.savedModePages().get(0x08)).containsExactly(8, 18, 4, 0);
        assertThat(Files.exists(directory.resolve("unit.state.tmp"))).as("no temporary left behind").isFalse();
    }

    @Test
    void shouldCreateTheStateDirectoryOnTheFirstSave() throws Exception {
        Path nested = directory.resolve("luns").resolve("deeper");
        FileLogicalUnitStateStore store = new FileLogicalUnitStateStore(nested.resolve("unit.state"), io);
        store.save(sample(3)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(store.load().reservations()).isEqualTo(sample(3).reservations());
    }

    @Test
    void shouldApplySavesInCallOrder() throws Exception {
        FileLogicalUnitStateStore store = store();
        CompletableFuture<Void> last = null;
        for (int generation = 0; generation < 50; generation++) {
            last = store.save(sample(generation)).toCompletableFuture();
        }
        last.get(10, TimeUnit.SECONDS);
        assertThat(store.load().reservations().generation()).isEqualTo(49);
    }

    @Test
    void shouldDropReservationsSavedWithoutAptpl() throws Exception {
        store().save(sample(1)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        store().save(new LogicalUnitState(null, Map.of())).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(store().load().reservations()).isNull();
    }

    @Test
    void shouldRefuseToLoadACorruptFileInsteadOfDroppingReservations() throws Exception {
        Files.writeString(directory.resolve("unit.state"), "format=1\npr.generation=x\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> store().load()).isInstanceOf(IllegalStateException.class).hasMessageContaining("corrupt");
        Files.writeString(directory.resolve("unit.state"), "format=7\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> store().load()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldFailTheSaveWhenTheStateFolderCannotBeCreated() throws Exception {
        Files.writeString(directory.resolve("occupied"), "a file where the state folder should be");
        FileLogicalUnitStateStore store = new FileLogicalUnitStateStore(directory.resolve("occupied/unit.state"), io);
        assertThat(store.save(sample(1)).toCompletableFuture()).failsWithin(10, TimeUnit.SECONDS);
        store().save(sample(2)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
