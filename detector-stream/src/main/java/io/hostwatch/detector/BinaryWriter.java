package io.hostwatch.detector;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Append-only byte buffer with varint/zigzag encodings, for the detector's compact internal serdes. */
final class BinaryWriter {
    private byte[] buf;
    private int pos;

    BinaryWriter(int capacity) {
        buf = new byte[capacity];
    }

    void writeByte(int b) {
        ensure(1);
        buf[pos++] = (byte) b;
    }

    void writeBoolean(boolean b) {
        writeByte(b ? 1 : 0);
    }

    void writeVarLong(long value) {
        long v = (value << 1) ^ (value >> 63);
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    void writeVarInt(int value) {
        writeVarLong(value);
    }

    void writeString(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        writeVarInt(bytes.length);
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
    }

    void writeNullableString(String s) {
        writeBoolean(s != null);
        if (s != null) {
            writeString(s);
        }
    }

    void writeNullableLong(Long value) {
        writeBoolean(value != null);
        if (value != null) {
            writeVarLong(value);
        }
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    private void ensure(int more) {
        if (pos + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
        }
    }
}
