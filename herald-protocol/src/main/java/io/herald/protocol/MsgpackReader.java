package io.herald.protocol;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * {@link WireReader} for msgpack (docs/protocol.md §1.4), read by hand from the frame's {@code byte[]}. Every length
 * in a header (str, bin, ext, and the entry count of maps and arrays) is checked against the bytes that are left
 * before anything is allocated or looped over, so a 5-byte str32 header claiming 2 GB fails at once. Map keys must
 * be {@code str} (or {@code bin}, read as UTF-8, as msgpack-core's {@code unpackString} does).
 */
final class MsgpackReader extends WireReader {
    private final byte[] in;
    private final int end;
    private int pos;
    /** Entries left in each open container, indexed by depth; grown on demand up to MAX_DEPTH + 1. */
    private long[] remaining;

    /**
     * Each thread's spare {@link #remaining} array, taken by a reader and given back by {@link #close()}: every
     * inbound frame is read once, and the array was most of a reader's allocation.
     */
    private static final ThreadLocal<long @Nullable []> SPARE = new ThreadLocal<>();

    /** The depths a new {@link #remaining} array holds; only arrays of this size are given back as spares. */
    private static final int FIRST_DEPTHS = 8;

    MsgpackReader(byte[] input) {
        if (input.length == 0) {
            throw bad("Empty msgpack input");
        }
        this.in = input;
        this.end = input.length;
        long[] spare = SPARE.get();
        if (spare == null) {
            spare = new long[FIRST_DEPTHS];
        } else {
            SPARE.set(null);
        }
        this.remaining = spare;
    }

    @Override
    void close() {
        if (remaining.length == FIRST_DEPTHS) {
            SPARE.set(remaining);
        }
    }

    @Override
    Kind kind() {
        int t = peek();
        if (t <= 0x7f || t >= 0xe0) {
            return Kind.INTEGER;
        }
        if (t <= 0x8f) {
            return Kind.OBJECT;
        }
        if (t <= 0x9f) {
            return Kind.ARRAY;
        }
        if (t <= 0xbf) {
            return Kind.STRING;
        }
        return switch (t) {
            case 0xc0 -> Kind.NULL;
            case 0xc2, 0xc3 -> Kind.BOOLEAN;
            case 0xc4, 0xc5, 0xc6 -> Kind.BINARY;
            case 0xc7, 0xc8, 0xc9, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8 -> Kind.EXT;
            case 0xca, 0xcb -> Kind.FLOAT;
            case 0xcc, 0xcd, 0xce, 0xd0, 0xd1, 0xd2, 0xd3 -> Kind.INTEGER;
            case 0xcf -> { // uint64: beyond Long.MAX_VALUE when its top bit is set
                need(2);
                yield in[pos + 1] < 0 ? Kind.BIG_INTEGER : Kind.INTEGER;
            }
            case 0xd9, 0xda, 0xdb -> Kind.STRING;
            case 0xdc, 0xdd -> Kind.ARRAY;
            case 0xde, 0xdf -> Kind.OBJECT;
            default -> throw bad("Malformed msgpack: invalid type byte 0xc1");
        };
    }

    @Override
    String string() {
        int t = next();
        long len;
        if (t >= 0xa0 && t <= 0xbf) {
            len = t & 0x1f;
        } else if (t == 0xd9) {
            len = u8();
        } else if (t == 0xda) {
            len = u16();
        } else if (t == 0xdb) {
            len = u32();
        } else {
            pos--;
            throw bad("Malformed msgpack: expected a string");
        }
        int n = payload(len);
        String s = new String(in, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    @Override
    long integer() {
        int t = next();
        if (t <= 0x7f) {
            return t;
        }
        if (t >= 0xe0) {
            return (byte) t;
        }
        return switch (t) {
            case 0xcc -> u8();
            case 0xcd -> u16();
            case 0xce -> u32();
            case 0xcf -> i64();
            case 0xd0 -> {
                need(1);
                yield in[pos++];
            }
            case 0xd1 -> (short) u16();
            case 0xd2 -> (int) u32();
            case 0xd3 -> i64();
            default -> {
                pos--;
                throw bad("Malformed msgpack: expected an integer");
            }
        };
    }

    @Override
    BigInteger bigInteger() {
        if (peek() == 0xcf) {
            pos++;
            return new BigInteger(Long.toUnsignedString(i64()));
        }
        return BigInteger.valueOf(integer());
    }

    @Override
    double floating() {
        int t = next();
        if (t == 0xca) {
            return Float.intBitsToFloat((int) u32());
        }
        if (t == 0xcb) {
            return Double.longBitsToDouble(i64());
        }
        pos--;
        throw bad("Malformed msgpack: expected a float");
    }

    @Override
    boolean bool() {
        return next() == 0xc3;
    }

    @Override
    byte[] binary() {
        int t = next();
        long len = switch (t) {
            case 0xc4 -> u8();
            case 0xc5 -> u16();
            case 0xc6 -> u32();
            default -> {
                pos--;
                throw bad("Malformed msgpack: expected binary");
            }
        };
        int n = payload(len);
        byte[] bytes = Arrays.copyOfRange(in, pos, pos + n);
        pos += n;
        return bytes;
    }

    @Override
    void nil() {
        pos++;
    }

    @Override
    void beginObject() {
        int t = next();
        long n = t >= 0x80 && t <= 0x8f ? t & 0x0f : t == 0xde ? u16() : t == 0xdf ? u32() : -1;
        if (n < 0) {
            pos--;
            throw bad("Malformed msgpack: expected a map");
        }
        if (n * 2 > end - pos) {
            throw bad("Malformed msgpack: map of " + n + " entries exceeds the input");
        }
        enter();
        open(n);
    }

    /** Records the entry count of the container just entered. */
    private void open(long n) {
        if (depth >= remaining.length) {
            remaining = Arrays.copyOf(remaining, Math.min(MAX_DEPTH + 1, remaining.length * 2));
        }
        remaining[depth] = n;
    }

    @Override
    @Nullable
    String nextField() {
        if (remaining[depth] == 0) {
            leave();
            return null;
        }
        remaining[depth]--;
        int t = peek();
        if (t >= 0xa0 && t <= 0xbf) { // fixstr: nearly every key; known names come back as shared constants
            pos++;
            int n = payload(t & 0x1f);
            String name = Key.known(in, pos, n);
            if (name == null) {
                name = new String(in, pos, n, StandardCharsets.UTF_8);
            }
            pos += n;
            return name;
        }
        Kind k = kind();
        if (k != Kind.STRING && k != Kind.BINARY) {
            throw bad("Malformed msgpack: map keys must be strings");
        }
        return readString("key");
    }

    @Override
    void beginArray() {
        int t = next();
        long n = t >= 0x90 && t <= 0x9f ? t & 0x0f : t == 0xdc ? u16() : t == 0xdd ? u32() : -1;
        if (n < 0) {
            pos--;
            throw bad("Malformed msgpack: expected an array");
        }
        if (n > end - pos) {
            throw bad("Malformed msgpack: array of " + n + " elements exceeds the input");
        }
        enter();
        open(n);
    }

    @Override
    boolean nextElement() {
        if (remaining[depth] == 0) {
            leave();
            return false;
        }
        remaining[depth]--;
        return true;
    }

    @Override
    void skip() {
        switch (kind()) {
            case OBJECT -> {
                beginObject();
                while (nextField() != null) {
                    skip();
                }
            }
            case ARRAY -> {
                beginArray();
                while (nextElement()) {
                    skip();
                }
            }
            default -> skipScalar();
        }
    }

    private void skipScalar() {
        int t = next();
        long n;
        if (t <= 0x7f || t >= 0xe0 || t == 0xc0 || t == 0xc2 || t == 0xc3) {
            n = 0;
        } else if (t <= 0xbf) {
            n = t & 0x1f; // fixstr
        } else {
            n = switch (t) {
                case 0xc4, 0xd9 -> u8();
                case 0xc5, 0xda -> u16();
                case 0xc6, 0xdb -> u32();
                case 0xc7 -> u8() + 1;
                case 0xc8 -> u16() + 1;
                case 0xc9 -> u32() + 1;
                case 0xcc, 0xd0 -> 1;
                case 0xcd, 0xd1 -> 2;
                case 0xca, 0xce, 0xd2 -> 4;
                case 0xcb, 0xcf, 0xd3 -> 8;
                case 0xd4 -> 2;
                case 0xd5 -> 3;
                case 0xd6 -> 5;
                case 0xd7 -> 9;
                case 0xd8 -> 17;
                default -> throw bad("Malformed msgpack: invalid type byte 0x" + Integer.toHexString(t));
            };
        }
        pos += payload(n);
    }

    @Override
    void finish() {
        if (pos != end) {
            throw bad("Trailing data after the msgpack value");
        }
    }

    /** Checks that {@code len} bytes are left and returns it as an int. */
    private int payload(long len) {
        if (len > end - pos) {
            throw bad("Malformed msgpack: length " + len + " exceeds the input");
        }
        return (int) len;
    }

    private int peek() {
        if (pos >= end) {
            throw bad("Truncated msgpack input");
        }
        return in[pos] & 0xff;
    }

    private int next() {
        int t = peek();
        pos++;
        return t;
    }

    private void need(int n) {
        if (end - pos < n) {
            throw bad("Truncated msgpack input");
        }
    }

    private int u8() {
        need(1);
        return in[pos++] & 0xff;
    }

    private int u16() {
        need(2);
        int v = (in[pos] & 0xff) << 8 | (in[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    private long u32() {
        need(4);
        long v = (long) (in[pos] & 0xff) << 24
                | (in[pos + 1] & 0xff) << 16
                | (in[pos + 2] & 0xff) << 8
                | (in[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    private long i64() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (in[pos + i] & 0xff);
        }
        pos += 8;
        return v;
    }
}
