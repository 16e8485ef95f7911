package dev.quarry.iscsi.scsi;

import io.netty.buffer.ByteBuf;

/** A response as a test sees it: status, Data-In bytes (copied, buffer released) and decoded sense. */
record Reply(ScsiStatus status, byte[] data, byte[] sense, int dataOutLength, boolean delivered) {

    static Reply of(ScsiResponse response) {
        byte[] data = new byte[0];
        ByteBuf dataIn = response.dataIn();
        if (dataIn != null) {
            data = new byte[dataIn.readableBytes()];
            dataIn.getBytes(dataIn.readerIndex(), data);
            dataIn.release();
        }
        return new Reply(response.status(), data, response.sense(), response.dataOutLength(), response.delivered());
    }

    boolean good() {
        return status == ScsiStatus.GOOD;
    }

    boolean descriptorSense() {
        return sense != null && (sense[0] & 0x7F) == 0x72;
    }

    int senseKey() {
        return descriptorSense() ? sense[1] & 0x0F : sense[2] & 0x0F;
    }

    int asc() {
        return descriptorSense() ? sense[2] & 0xFF : sense[12] & 0xFF;
    }

    int ascq() {
        return descriptorSense() ? sense[3] & 0xFF : sense[13] & 0xFF;
    }

    /** Sense key, ASC and ASCQ as {@code KK/AA/QQ} hex, for readable assertions. */
    String code() {
        return sense == null ? status.toString() : String.format("%02X/%02X/%02X", senseKey(), asc(), ascq());
    }

    /** The INFORMATION field (fixed format, VALID set). */
    long information() {
        if (descriptorSense()) {
            for (int at = 8; at + 1 < sense.length; at += 2 + (sense[at + 1] & 0xFF)) {
                if (sense[at] == 0x00) {
                    long value = 0;
                    for (int i = 0; i < 8; i++) {
                        value = value << 8 | sense[at + 4 + i] & 0xFF;
                    }
                    return value;
                }
            }
            throw new AssertionError("no information descriptor");
        }
        if ((sense[0] & 0x80) == 0) {
            throw new AssertionError("INFORMATION not valid");
        }
        return (sense[3] & 0xFFL) << 24 | (sense[4] & 0xFF) << 16 | (sense[5] & 0xFF) << 8 | sense[6] & 0xFF;
    }

    /** The sense-key-specific bytes of fixed-format sense (SKSV in the top bit). */
    int senseKeySpecific() {
        return (sense[15] & 0xFF) << 16 | (sense[16] & 0xFF) << 8 | sense[17] & 0xFF;
    }

    int u8(int at) {
        return data[at] & 0xFF;
    }

    int u16(int at) {
        return (data[at] & 0xFF) << 8 | data[at + 1] & 0xFF;
    }

    long u32(int at) {
        return (data[at] & 0xFFL) << 24 | (data[at + 1] & 0xFF) << 16 | (data[at + 2] & 0xFF) << 8 | data[at + 3] & 0xFF;
    }

    long u64(int at) {
        return u32(at) << 32 | u32(at + 4);
    }
}
