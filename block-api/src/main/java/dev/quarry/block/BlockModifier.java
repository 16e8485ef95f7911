package dev.quarry.block;

import io.netty.buffer.ByteBuf;

/**
 * The transformation of an atomic {@link BlockVolume#modify}: given the current contents of the
 * blocks, the contents to write. Runs on a volume thread; must not block.
 */
@FunctionalInterface
public interface BlockModifier {

    /**
     * Returns the new contents of the blocks, exactly as long as {@code current}, whose ownership
     * passes to the volume. {@code current} is borrowed: valid only during the call, released by
     * the volume. Throwing (typically a {@link BlockIoException}) aborts the operation with
     * nothing written.
     */
    ByteBuf apply(ByteBuf current);
}
