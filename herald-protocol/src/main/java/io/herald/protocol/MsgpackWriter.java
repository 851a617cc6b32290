package io.herald.protocol;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * {@link WireWriter} for msgpack (docs/protocol.md §1.4), written by hand into a growable {@code byte[]}: text is always
 * {@code str} (fixstr/str8/str16/str32), binary is {@code bin}, integers use the smallest int type (never float),
 * objects are maps and lists are arrays.
 *
 * <p>A map's size is not known when it starts (null fields are skipped, REST maps drop null values), so the writer
 * reserves one byte for a fixmap header, counts the fields and patches the header at {@link #endObject()}; a map
 * of more than 15 fields (rare) moves its content two bytes to make room for a map16 header.
 */
final class MsgpackWriter extends WireWriter {
    private byte[] buf = new byte[1024];
    private int pos;
    /** Start offset and field count of every open map. */
    private int[] mapStart = new int[8];

    private int[] mapCount = new int[8];
    private int depth;

    /**
     * Each thread's idle writer: every delivery, ACK and history entry is a frame, so a writer made per frame (and
     * its buffer, grown as it fills) was a fixed share of the allocation per message. A frame now costs one exact-size
     * copy. {@link #take()} empties the slot, so a nested use on the same thread (there is none today) gets its own
     * writer; a writer abandoned by an exception is simply not returned.
     */
    private static final ThreadLocal<@Nullable MsgpackWriter> IDLE = new ThreadLocal<>();

    private static final int MAX_KEPT_BUFFER = 64 * 1024;

    private MsgpackWriter() {}

    static MsgpackWriter take() {
        MsgpackWriter w = IDLE.get();
        if (w == null) {
            return new MsgpackWriter();
        }
        IDLE.set(null);
        return w;
    }

    @Override
    void startObject() {
        if (depth == mapStart.length) {
            mapStart = Arrays.copyOf(mapStart, depth * 2);
            mapCount = Arrays.copyOf(mapCount, depth * 2);
        }
        ensure(1);
        mapStart[depth] = pos;
        mapCount[depth] = 0;
        depth++;
        buf[pos++] = (byte) 0x80; // fixmap placeholder
    }

    @Override
    void endObject() {
        depth--;
        int start = mapStart[depth];
        int n = mapCount[depth];
        if (n < 16) {
            buf[start] = (byte) (0x80 | n);
            return;
        }
        int extra = n < 0x10000 ? 2 : 4;
        ensure(extra);
        System.arraycopy(buf, start + 1, buf, start + 1 + extra, pos - start - 1);
        pos += extra;
        if (extra == 2) {
            buf[start] = (byte) 0xde;
            putShort(start + 1, n);
        } else {
            buf[start] = (byte) 0xdf;
            putInt(start + 1, n);
        }
    }

    @Override
    void startArray(int size) {
        ensure(5);
        if (size < 16) {
            buf[pos++] = (byte) (0x90 | size);
        } else if (size < 0x10000) {
            buf[pos++] = (byte) 0xdc;
            putShort(pos, size);
            pos += 2;
        } else {
            buf[pos++] = (byte) 0xdd;
            putInt(pos, size);
            pos += 4;
        }
    }

    /** Array sizes are written up front; only maps are tracked (a field belongs to the innermost open map). */
    @Override
    void endArray() {}

    @Override
    void field(Key key) {
        mapCount[depth - 1]++;
        byte[] k = key.msgpack;
        ensure(k.length);
        System.arraycopy(k, 0, buf, pos, k.length);
        pos += k.length;
    }

    @Override
    void field(String name) {
        mapCount[depth - 1]++;
        string(name);
    }

    @Override
    void string(String value) {
        // ASCII (names, ids, serials: nearly every string of a frame) is its own UTF-8: written in place in one pass,
        // without the byte[] that getBytes would allocate for each string; the first char past ASCII undoes the header
        // and the copy and takes the general path
        int chars = value.length();
        int start = pos;
        strHeader(chars);
        byte[] b = buf;
        int p = pos;
        for (int i = 0; i < chars; i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                pos = start;
                utf8(value);
                return;
            }
            b[p + i] = (byte) c;
        }
        pos = p + chars;
    }

    private void utf8(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        strHeader(utf8.length);
        System.arraycopy(utf8, 0, buf, pos, utf8.length);
        pos += utf8.length;
    }

    /** The str header of {@code n} bytes, with room made for the bytes that follow it. */
    private void strHeader(int n) {
        ensure(n + 5);
        if (n < 32) {
            buf[pos++] = (byte) (0xa0 | n);
        } else if (n < 0x100) {
            buf[pos++] = (byte) 0xd9;
            buf[pos++] = (byte) n;
        } else if (n < 0x10000) {
            buf[pos++] = (byte) 0xda;
            putShort(pos, n);
            pos += 2;
        } else {
            buf[pos++] = (byte) 0xdb;
            putInt(pos, n);
            pos += 4;
        }
    }

    @Override
    void binary(byte[] value) {
        int n = value.length;
        ensure(n + 5);
        if (n < 0x100) {
            buf[pos++] = (byte) 0xc4;
            buf[pos++] = (byte) n;
        } else if (n < 0x10000) {
            buf[pos++] = (byte) 0xc5;
            putShort(pos, n);
            pos += 2;
        } else {
            buf[pos++] = (byte) 0xc6;
            putInt(pos, n);
            pos += 4;
        }
        System.arraycopy(value, 0, buf, pos, n);
        pos += n;
    }

    @Override
    void integer(long v) {
        ensure(9);
        if (v >= 0) {
            if (v < 0x80) {
                buf[pos++] = (byte) v;
            } else if (v < 0x100) {
                buf[pos++] = (byte) 0xcc;
                buf[pos++] = (byte) v;
            } else if (v < 0x10000) {
                buf[pos++] = (byte) 0xcd;
                putShort(pos, (int) v);
                pos += 2;
            } else if (v <= 0xffffffffL) {
                buf[pos++] = (byte) 0xce;
                putInt(pos, (int) v);
                pos += 4;
            } else {
                buf[pos++] = (byte) 0xcf;
                putLong(v);
            }
        } else if (v >= -32) {
            buf[pos++] = (byte) v; // negative fixint
        } else if (v >= Byte.MIN_VALUE) {
            buf[pos++] = (byte) 0xd0;
            buf[pos++] = (byte) v;
        } else if (v >= Short.MIN_VALUE) {
            buf[pos++] = (byte) 0xd1;
            putShort(pos, (int) v);
            pos += 2;
        } else if (v >= Integer.MIN_VALUE) {
            buf[pos++] = (byte) 0xd2;
            putInt(pos, (int) v);
            pos += 4;
        } else {
            buf[pos++] = (byte) 0xd3;
            putLong(v);
        }
    }

    @Override
    void bigInteger(BigInteger value) {
        if (value.bitLength() <= 63) {
            integer(value.longValue());
        } else if (value.signum() > 0 && value.bitLength() == 64) {
            ensure(9);
            buf[pos++] = (byte) 0xcf; // uint64 above Long.MAX_VALUE
            putLong(value.longValue());
        } else {
            floating(value.doubleValue()); // msgpack has no wider integer
        }
    }

    @Override
    void floating(double value) {
        ensure(9);
        buf[pos++] = (byte) 0xcb;
        putLong(Double.doubleToLongBits(value));
    }

    @Override
    void decimal(BigDecimal value) {
        floating(value.doubleValue());
    }

    @Override
    void bool(boolean value) {
        ensure(1);
        buf[pos++] = (byte) (value ? 0xc3 : 0xc2);
    }

    @Override
    void nil() {
        ensure(1);
        buf[pos++] = (byte) 0xc0;
    }

    @Override
    boolean binaryNative() {
        return true;
    }

    @Override
    byte[] finish() {
        byte[] out = Arrays.copyOf(buf, pos);
        if (buf.length > MAX_KEPT_BUFFER) {
            buf = new byte[1024];
        }
        pos = 0;
        depth = 0;
        IDLE.set(this);
        return out;
    }

    private void ensure(int n) {
        if (pos + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
        }
    }

    private void putShort(int at, int v) {
        buf[at] = (byte) (v >>> 8);
        buf[at + 1] = (byte) v;
    }

    private void putInt(int at, int v) {
        buf[at] = (byte) (v >>> 24);
        buf[at + 1] = (byte) (v >>> 16);
        buf[at + 2] = (byte) (v >>> 8);
        buf[at + 3] = (byte) v;
    }

    private void putLong(long v) {
        putInt(pos, (int) (v >>> 32));
        putInt(pos + 4, (int) v);
        pos += 8;
    }
}
