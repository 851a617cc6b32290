package io.herald.protocol;

import java.io.ByteArrayOutputStream;

/**
 * A VCDIFF (RFC 3284) encoder: the target as a delta against a source, in one window, with the default code table,
 * no secondary compression and no checksum; what Ably's {@code vcdiff} delta format and its decoders
 * ({@code @ably/vcdiff-decoder}, open-vcdiff) read.
 *
 * <p>The matcher is greedy: every 4-byte block of the source is indexed by a hash (chained, newest first), and at
 * each target position the longest match among a few candidates is taken when it is at least {@link #MIN_MATCH}
 * bytes long; bytes with no match become ADDs. COPYs use the {@code VCD_SELF} or {@code VCD_HERE} address mode,
 * whichever is shorter, so the encoder needs no address cache. An ADD of 1 to 4 bytes followed by a COPY of 4 to 6
 * bytes shares one opcode, as the default code table allows. Stateless and thread-safe.
 */
public final class VcdiffEncoder {
    /** The shortest COPY worth its opcode and address. */
    static final int MIN_MATCH = 4;
    /** How many earlier source positions with the same hash are tried. */
    private static final int MAX_CANDIDATES = 32;

    private static final int HASH_BITS = 15;
    private static final int VCD_SOURCE = 0x01;
    private static final int MODE_SELF = 0;
    private static final int MODE_HERE = 1;

    private VcdiffEncoder() {}

    /** The delta that turns {@code source} into {@code target}. */
    public static byte[] encode(byte[] source, byte[] target) {
        Instructions ins = new Instructions(source.length);
        if (source.length >= MIN_MATCH && target.length >= MIN_MATCH) {
            match(source, target, ins);
        } else {
            ins.add(target, 0, target.length);
        }
        ins.flush();

        ByteArrayOutputStream delta = new ByteArrayOutputStream(16 + ins.data.size() + ins.inst.size());
        writeVarint(delta, target.length); // length of the target window
        delta.write(0); // Delta_Indicator: no secondary compression
        writeVarint(delta, ins.data.size());
        writeVarint(delta, ins.inst.size());
        writeVarint(delta, ins.addr.size());
        delta.writeBytes(ins.data.toByteArray());
        delta.writeBytes(ins.inst.toByteArray());
        delta.writeBytes(ins.addr.toByteArray());

        ByteArrayOutputStream out = new ByteArrayOutputStream(16 + delta.size());
        out.write(0xD6); // 'V' | 0x80
        out.write(0xC3); // 'C' | 0x80
        out.write(0xC4); // 'D' | 0x80
        out.write(0); // version
        out.write(0); // Hdr_Indicator: no secondary compressor, default code table
        if (source.length > 0) {
            out.write(VCD_SOURCE);
            writeVarint(out, source.length); // source segment size
            writeVarint(out, 0); // source segment position
        } else {
            out.write(0);
        }
        writeVarint(out, delta.size());
        out.writeBytes(delta.toByteArray());
        return out.toByteArray();
    }

    private static void match(byte[] source, byte[] target, Instructions ins) {
        int[] head = new int[1 << HASH_BITS];
        java.util.Arrays.fill(head, -1);
        int[] prev = new int[source.length];
        for (int i = 0; i + MIN_MATCH <= source.length; i++) {
            int h = hash(source, i);
            prev[i] = head[h];
            head[h] = i;
        }
        int pendingAdd = 0;
        int p = 0;
        while (p + MIN_MATCH <= target.length) {
            int bestLen = 0;
            int bestAt = -1;
            int tries = 0;
            for (int c = head[hash(target, p)]; c >= 0 && tries < MAX_CANDIDATES; c = prev[c], tries++) {
                int len = 0;
                int max = Math.min(source.length - c, target.length - p);
                while (len < max && source[c + len] == target[p + len]) {
                    len++;
                }
                if (len > bestLen) {
                    bestLen = len;
                    bestAt = c;
                    if (len == max) {
                        break;
                    }
                }
            }
            if (bestLen >= MIN_MATCH) {
                // extend backwards into the bytes that would otherwise be added
                while (pendingAdd > 0 && bestAt > 0 && source[bestAt - 1] == target[p - 1]) {
                    bestAt--;
                    p--;
                    pendingAdd--;
                    bestLen++;
                }
                if (pendingAdd > 0) {
                    ins.add(target, p - pendingAdd, pendingAdd);
                    pendingAdd = 0;
                }
                ins.copy(bestAt, bestLen);
                p += bestLen;
            } else {
                pendingAdd++;
                p++;
            }
        }
        pendingAdd += target.length - p;
        if (pendingAdd > 0) {
            ins.add(target, target.length - pendingAdd, pendingAdd);
        }
    }

    private static int hash(byte[] b, int i) {
        int v = (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24;
        return (v * 0x9E3779B1) >>> (32 - HASH_BITS);
    }

    /** RFC 3284 §2: an unsigned integer in base 128, most significant digit first, high bit set on all but the last. */
    static void writeVarint(ByteArrayOutputStream out, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative: " + value);
        }
        int digits = 1;
        for (long v = value >>> 7; v != 0; v >>>= 7) {
            digits++;
        }
        for (int d = digits - 1; d >= 0; d--) {
            int b = (int) ((value >>> (7 * d)) & 0x7F);
            out.write(d == 0 ? b : b | 0x80);
        }
    }

    /** The three sections of a window, with an ADD held back so it can share an opcode with the next COPY. */
    private static final class Instructions {
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        final ByteArrayOutputStream inst = new ByteArrayOutputStream();
        final ByteArrayOutputStream addr = new ByteArrayOutputStream();
        /** Where the next instruction writes, in the address space of source then target. */
        private int here;
        /** The size of an ADD not yet written (its bytes are already in {@code data}), or 0. */
        private int heldAdd;

        Instructions(int sourceLength) {
            this.here = sourceLength;
        }

        void add(byte[] b, int off, int len) {
            if (len == 0) {
                return;
            }
            flush();
            data.write(b, off, len);
            heldAdd = len;
            here += len;
        }

        void copy(int address, int size) {
            // VCD_SELF writes the address itself, VCD_HERE the distance back from here: the shorter one
            int mode = varintLength(here - address) < varintLength(address) ? MODE_HERE : MODE_SELF;
            long encodedAddress = mode == MODE_HERE ? here - address : address;
            if (heldAdd >= 1 && heldAdd <= 4 && size >= 4 && size <= 6) {
                // default code table entries 163-234: ADD (size 1-4) + COPY (size 4-6, modes 0-5)
                inst.write(163 + mode * 12 + (heldAdd - 1) * 3 + (size - 4));
                heldAdd = 0;
            } else {
                flush();
                if (size >= 4 && size <= 18) {
                    inst.write(19 + mode * 16 + (size - 3));
                } else {
                    inst.write(19 + mode * 16);
                    writeVarint(inst, size);
                }
            }
            writeVarint(addr, encodedAddress);
            here += size;
        }

        /** Writes the held ADD on its own. */
        void flush() {
            if (heldAdd == 0) {
                return;
            }
            if (heldAdd <= 17) {
                inst.write(1 + heldAdd);
            } else {
                inst.write(1);
                writeVarint(inst, heldAdd);
            }
            heldAdd = 0;
        }
    }

    private static int varintLength(long v) {
        int n = 1;
        for (long x = v >>> 7; x != 0; x >>>= 7) {
            n++;
        }
        return n;
    }
}
