package io.herald.server.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Fuzz inputs: valid seeds (frames, bodies, tokens) with one to eight random mutations, so inputs get past the first
 * syntax check into the deep code, mixed with plain random bytes.
 */
final class Mutator {
    private static final byte[][] TOKENS = ascii(
            "{",
            "}",
            "[",
            "]",
            "\"",
            ":",
            ",",
            "\\",
            "\\u0000",
            "\\ud800",
            "null",
            "true",
            "-1",
            "1e999",
            "99999999999999999999",
            "0.5",
            "\"\"",
            "{}",
            "[]",
            "\u0000",
            "%",
            "%zz",
            ".",
            "*",
            "==",
            "'",
            "(",
            ")",
            "&&",
            "||",
            "!",
            "headers.",
            "name",
            "extras",
            "base64",
            "utf-8/cipher",
            "json/base64",
            "\"action\":",
            "\"data\":",
            "\"encoding\":");
    private static final byte[] MSGPACK_HEADS = {
        (byte) 0xc1,
        (byte) 0xd9,
        (byte) 0xdb,
        (byte) 0xdc,
        (byte) 0xdd,
        (byte) 0xde,
        (byte) 0xdf,
        (byte) 0xc4,
        (byte) 0xc6,
        (byte) 0xcf,
        (byte) 0xd3,
        (byte) 0xcb,
        (byte) 0x9f,
        (byte) 0x8f,
        (byte) 0xbf,
        (byte) 0xff,
        (byte) 0xc7,
        (byte) 0xd4
    };

    private Mutator() {}

    /** 80%: a mutated seed; 20%: random bytes (up to 512). */
    static Arbitrary<byte[]> bytes(List<byte[]> seeds) {
        Arbitrary<byte[]> mutated = Arbitraries.randomValue(r -> mutate(seeds.get(r.nextInt(seeds.size())), r));
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(512);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, mutated), net.jqwik.api.Tuple.of(2, random));
    }

    static Arbitrary<String> strings(List<String> seeds) {
        List<byte[]> bytes =
                seeds.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
        Arbitrary<String> mutated = bytes(bytes).map(b -> new String(b, StandardCharsets.UTF_8));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, mutated),
                net.jqwik.api.Tuple.of(2, Arbitraries.strings().ofMaxLength(300)));
    }

    static byte[] mutate(byte[] seed, Random r) {
        byte[] b = seed.clone();
        int n = 1 + r.nextInt(8);
        for (int i = 0; i < n; i++) {
            b = once(b, r);
        }
        return b;
    }

    private static byte[] once(byte[] b, Random r) {
        int len = b.length;
        int at = len == 0 ? 0 : r.nextInt(len);
        switch (r.nextInt(8)) {
            case 0 -> { // flip bits
                if (len > 0) {
                    b[at] ^= (byte) (1 << r.nextInt(8));
                }
                return b;
            }
            case 1 -> { // replace a byte
                if (len > 0) {
                    b[at] = (byte) r.nextInt(256);
                }
                return b;
            }
            case 2 -> { // delete a range
                int end = Math.min(len, at + 1 + r.nextInt(8));
                return concat(Arrays.copyOfRange(b, 0, at), Arrays.copyOfRange(b, end, len));
            }
            case 3 -> { // truncate
                return Arrays.copyOf(b, at);
            }
            case 4 -> { // duplicate a range (nesting, repeats)
                int end = Math.min(len, at + 1 + r.nextInt(32));
                byte[] piece = Arrays.copyOfRange(b, at, end);
                return concat(concat(Arrays.copyOfRange(b, 0, end), piece), Arrays.copyOfRange(b, end, len));
            }
            case 5 -> { // insert a JSON/filter token
                return insert(b, at, TOKENS[r.nextInt(TOKENS.length)]);
            }
            case 6 -> { // insert a msgpack head with a large length
                byte[] head = {
                    MSGPACK_HEADS[r.nextInt(MSGPACK_HEADS.length)], (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f
                };
                return insert(b, at, Arrays.copyOf(head, 1 + r.nextInt(head.length)));
            }
            default -> { // swap two bytes
                if (len > 1) {
                    int other = r.nextInt(len);
                    byte t = b[at];
                    b[at] = b[other];
                    b[other] = t;
                }
                return b;
            }
        }
    }

    private static byte[] insert(byte[] b, int at, byte[] piece) {
        return concat(concat(Arrays.copyOfRange(b, 0, at), piece), Arrays.copyOfRange(b, at, b.length));
    }

    private static byte[] concat(byte[] a, byte[] c) {
        byte[] out = Arrays.copyOf(a, a.length + c.length);
        System.arraycopy(c, 0, out, a.length, c.length);
        return out;
    }

    private static byte[][] ascii(String... s) {
        byte[][] out = new byte[s.length][];
        for (int i = 0; i < s.length; i++) {
            out[i] = s[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }
}
