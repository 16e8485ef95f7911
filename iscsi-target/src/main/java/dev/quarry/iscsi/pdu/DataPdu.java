package dev.quarry.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;

/**
 * A PDU that carries a data segment. PDUs are immutable records, so instead of extending
 * {@code DefaultByteBufHolder} they implement this interface, whose reference counting delegates
 * to {@link #data()}; the record keeps value equality for round-trip tests.
 *
 * <p>Reference counted; not thread-safe (ownership passes with the call, see
 * {@code dev.quarry.iscsi.codec} package rules).
 */
public interface DataPdu extends ByteBufHolder {

    /** The data segment, without padding or digest; never {@code null} (empty when absent). */
    ByteBuf data();

    @Override
    default ByteBuf content() {
        return data();
    }

    @Override
    DataPdu replace(ByteBuf content);

    @Override
    default DataPdu copy() {
        return replace(data().copy());
    }

    @Override
    default DataPdu duplicate() {
        return replace(data().duplicate());
    }

    @Override
    default DataPdu retainedDuplicate() {
        return replace(data().retainedDuplicate());
    }

    @Override
    default int refCnt() {
        return data().refCnt();
    }

    @Override
    default DataPdu retain() {
        data().retain();
        return this;
    }

    @Override
    default DataPdu retain(int increment) {
        data().retain(increment);
        return this;
    }

    @Override
    default DataPdu touch() {
        data().touch();
        return this;
    }

    @Override
    default DataPdu touch(Object hint) {
        data().touch(hint);
        return this;
    }

    @Override
    default boolean release() {
        return data().release();
    }

    @Override
    default boolean release(int decrement) {
        return data().release(decrement);
    }
}
