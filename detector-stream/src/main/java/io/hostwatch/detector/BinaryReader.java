package io.hostwatch.detector;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;

/** Reads what {@link BinaryWriter} wrote; a truncated or malformed buffer is a {@link SerializationException}. */
final class BinaryReader {
    private final byte[] buf;
    private int pos;

    BinaryReader(byte[] buf) {
        this.buf = buf;
    }

    int readByte() {
        if (pos >= buf.length) {
            throw new SerializationException("Truncated record: needed a byte at " + pos + " of " + buf.length);
        }
        return buf[pos++] & 0xFF;
    }

    boolean readBoolean() {
        return readByte() != 0;
    }

    long readVarLong() {
        long raw = 0;
        int shift = 0;
        while (true) {
            int b = readByte();
            raw |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
            shift += 7;
            if (shift > 63) {
                throw new SerializationException("Malformed varint at " + pos);
            }
        }
        return (raw >>> 1) ^ -(raw & 1);
    }

    int readVarInt() {
        long value = readVarLong();
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new SerializationException("Varint out of int range: " + value);
        }
        return (int) value;
    }

    String readString() {
        int length = readVarInt();
        if (length < 0 || pos + length > buf.length) {
            throw new SerializationException("Bad string length " + length + " at " + pos);
        }
        String s = new String(buf, pos, length, StandardCharsets.UTF_8);
        pos += length;
        return s;
    }

    String readNullableString() {
        return readBoolean() ? readString() : null;
    }

    Long readNullableLong() {
        return readBoolean() ? readVarLong() : null;
    }

    boolean atEnd() {
        return pos == buf.length;
    }
}
