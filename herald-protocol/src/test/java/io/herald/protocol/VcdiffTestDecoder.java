package io.herald.protocol;

import java.io.ByteArrayOutputStream;

/**
 * An RFC 3284 decoder for tests, written from the RFC and independent of the encoder: the default code table built
 * as §5.6 describes it, the near and same address caches of §5.1-§5.3, ADD, COPY (overlapping included) and RUN,
 * several windows, VCD_SOURCE and VCD_TARGET. No secondary decompression and no application-defined code tables.
 */
public final class VcdiffTestDecoder {
    private static final int NEAR = 4;
    private static final int SAME = 3;
    private static final int NOOP = 0;
    private static final int ADD = 1;
    private static final int RUN = 2;
    private static final int COPY = 3;

    /** type1, size1, mode1, type2, size2, mode2 per opcode. */
    private static final int[][] TABLE = defaultTable();

    private final byte[] in;
    private int pos;

    private VcdiffTestDecoder(byte[] in) {
        this.in = in;
    }

    /** The target that {@code delta} makes of {@code source}; IllegalArgumentException on a malformed delta. */
    public static byte[] decode(byte[] source, byte[] delta) {
        return new VcdiffTestDecoder(delta).run(source);
    }

    private static int[][] defaultTable() {
        int[][] t = new int[256][];
        int i = 0;
        t[i++] = new int[] {RUN, 0, 0, NOOP, 0, 0};
        for (int size = 0; size <= 17; size++) {
            t[i++] = new int[] {ADD, size, 0, NOOP, 0, 0};
        }
        for (int mode = 0; mode <= 8; mode++) {
            t[i++] = new int[] {COPY, 0, mode, NOOP, 0, 0};
            for (int size = 4; size <= 18; size++) {
                t[i++] = new int[] {COPY, size, mode, NOOP, 0, 0};
            }
        }
        for (int mode = 0; mode <= 5; mode++) {
            for (int add = 1; add <= 4; add++) {
                for (int copy = 4; copy <= 6; copy++) {
                    t[i++] = new int[] {ADD, add, 0, COPY, copy, mode};
                }
            }
        }
        for (int mode = 6; mode <= 8; mode++) {
            for (int add = 1; add <= 4; add++) {
                t[i++] = new int[] {ADD, add, 0, COPY, 4, mode};
            }
        }
        for (int mode = 0; mode <= 8; mode++) {
            t[i++] = new int[] {COPY, 4, mode, ADD, 1, 0};
        }
        if (i != 256) {
            throw new IllegalStateException("code table has " + i + " entries");
        }
        return t;
    }

    private int readByte() {
        if (pos >= in.length) {
            throw new IllegalArgumentException("truncated delta");
        }
        return in[pos++] & 0xFF;
    }

    private static long varint(byte[] b, int[] at) {
        long v = 0;
        int c;
        do {
            if (at[0] >= b.length) {
                throw new IllegalArgumentException("truncated integer");
            }
            c = b[at[0]++] & 0xFF;
            v = (v << 7) | (c & 0x7F);
        } while ((c & 0x80) != 0);
        return v;
    }

    private int readInt() {
        int[] at = {pos};
        long v = varint(in, at);
        pos = at[0];
        return Math.toIntExact(v);
    }

    private byte[] run(byte[] source) {
        if (readByte() != 0xD6 || readByte() != 0xC3 || readByte() != 0xC4 || readByte() != 0) {
            throw new IllegalArgumentException("not a VCDIFF delta");
        }
        if (readByte() != 0) {
            throw new IllegalArgumentException("Hdr_Indicator not supported");
        }
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        while (pos < in.length) {
            int win = readByte();
            byte[] segment = new byte[0];
            if ((win & 0x03) != 0) {
                int len = readInt();
                int at = readInt();
                byte[] from = (win & 0x01) != 0 ? source : target.toByteArray();
                segment = java.util.Arrays.copyOfRange(from, at, at + len);
            }
            int deltaLength = readInt();
            int end = pos + deltaLength;
            int targetLength = readInt();
            if (readByte() != 0) {
                throw new IllegalArgumentException("Delta_Indicator not supported");
            }
            int dataLength = readInt();
            int instLength = readInt();
            int addrLength = readInt();
            int[] data = {pos};
            int[] inst = {pos + dataLength};
            int[] addr = {pos + dataLength + instLength};
            int instEnd = inst[0] + instLength;
            if (addr[0] + addrLength != end) {
                throw new IllegalArgumentException("section lengths do not add up");
            }
            byte[] u = new byte[segment.length + targetLength];
            System.arraycopy(segment, 0, u, 0, segment.length);
            int here = segment.length;
            long[] near = new long[NEAR];
            int nextNear = 0;
            long[] same = new long[SAME * 256];
            while (inst[0] < instEnd) {
                int[] entry = TABLE[in[inst[0]++] & 0xFF];
                for (int k = 0; k < 2; k++) {
                    int type = entry[k * 3];
                    if (type == NOOP) {
                        continue;
                    }
                    int size = entry[k * 3 + 1];
                    if (size == 0) {
                        size = Math.toIntExact(varint(in, inst));
                    }
                    if (here + size > u.length) {
                        throw new IllegalArgumentException("instruction past the target window");
                    }
                    switch (type) {
                        case ADD -> {
                            System.arraycopy(in, data[0], u, here, size);
                            data[0] += size;
                        }
                        case RUN -> {
                            byte b = in[data[0]++];
                            java.util.Arrays.fill(u, here, here + size, b);
                        }
                        default -> {
                            int mode = entry[k * 3 + 2];
                            long a;
                            if (mode == 0) {
                                a = varint(in, addr);
                            } else if (mode == 1) {
                                a = here - varint(in, addr);
                            } else if (mode < 2 + NEAR) {
                                a = near[mode - 2] + varint(in, addr);
                            } else {
                                int m = mode - (2 + NEAR);
                                a = same[m * 256 + (in[addr[0]++] & 0xFF)];
                            }
                            if (a < 0 || a >= here) {
                                throw new IllegalArgumentException("bad COPY address " + a);
                            }
                            for (int j = 0; j < size; j++) {
                                u[here + j] = u[(int) a + j];
                            }
                            near[nextNear] = a;
                            nextNear = (nextNear + 1) % NEAR;
                            same[(int) (a % (SAME * 256))] = a;
                        }
                    }
                    here += size;
                }
            }
            if (here != u.length) {
                throw new IllegalArgumentException(
                        "target window is " + (here - segment.length) + " bytes, not " + targetLength);
            }
            target.write(u, segment.length, targetLength);
            pos = end;
        }
        return target.toByteArray();
    }
}
