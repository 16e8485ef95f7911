package dev.quarry.block;

/** Receives {@link VolumeEvent}s. Called on a volume thread; must return promptly. */
@FunctionalInterface
public interface VolumeEventListener {

    void onEvent(VolumeEvent event);
}
