package io.herald.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VcdiffEncoderTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] roundTrip(byte[] source, byte[] target) {
        byte[] delta = VcdiffEncoder.encode(source, target);
        assertThat(VcdiffTestDecoder.decode(source, delta)).isEqualTo(target);
        return delta;
    }

    @Test
    void encode_similarText_roundTripsAndIsSmall() {
        byte[] a = utf8("{\"user\":\"alice\",\"score\":1200,\"position\":{\"x\":10,\"y\":20},\"status\":\"online\"}");
        byte[] b = utf8("{\"user\":\"alice\",\"score\":1250,\"position\":{\"x\":11,\"y\":20},\"status\":\"online\"}");
        byte[] delta = roundTrip(a, b);
        assertThat(delta.length).isLessThan(b.length / 2);
    }

    @Test
    void encode_headerAndWindow_followTheRfc() {
        byte[] delta = VcdiffEncoder.encode(utf8("abcdefgh"), utf8("abcdefgh"));
        // magic, version 0, Hdr_Indicator 0, Win_Indicator VCD_SOURCE, source size 8 at 0
        assertThat(java.util.Arrays.copyOf(delta, 8))
                .containsExactly(0xD6 - 256, 0xC3 - 256, 0xC4 - 256, 0, 0, 1, 8, 0);
        // delta length, target length 8, Delta_Indicator 0, no data, one instruction (COPY 8 mode 0), one address
        assertThat(java.util.Arrays.copyOfRange(delta, 8, delta.length)).containsExactly(7, 8, 0, 0, 1, 1, 19 + 5, 0);
    }

    @Test
    void encode_edgeCases_roundTrip() {
        roundTrip(new byte[0], new byte[0]);
        roundTrip(new byte[0], utf8("only added"));
        roundTrip(utf8("a base"), new byte[0]);
        roundTrip(utf8("abc"), utf8("abcd"));
        roundTrip(utf8("same same same"), utf8("same same same"));
        roundTrip(utf8("x"), utf8("completely different and longer than the base"));
        roundTrip(utf8("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), utf8("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"));
        roundTrip(utf8("héllo wörld ✓ 日本語のテキスト"), utf8("héllo wörld ✗ 日本語のテキスト!"));
    }

    @Test
    void encode_longAddsAndCopies_useExplicitSizes() {
        byte[] base = new byte[70_000];
        new Random(1).nextBytes(base);
        byte[] target = new byte[80_000];
        System.arraycopy(base, 0, target, 0, 30_000); // a long COPY (size as an integer)
        for (int i = 30_000; i < 30_200; i++) {
            target[i] = (byte) (i * 31); // a long ADD
        }
        System.arraycopy(base, 40_000, target, 30_200, 30_000); // an address needing three bytes
        System.arraycopy(base, 5, target, 60_200, 19_800);
        byte[] delta = roundTrip(base, target);
        assertThat(delta.length).isLessThan(1_000);
    }

    @Test
    void encode_randomEdits_roundTrip() {
        Random r = new Random(42);
        for (int round = 0; round < 300; round++) {
            byte[] base = new byte[r.nextInt(2_000)];
            for (int i = 0; i < base.length; i++) {
                base[i] = (byte) ('a' + r.nextInt(r.nextBoolean() ? 3 : 26));
            }
            java.io.ByteArrayOutputStream t = new java.io.ByteArrayOutputStream();
            int edits = r.nextInt(10);
            int at = 0;
            for (int e = 0; e < edits && at < base.length; e++) {
                int keep = r.nextInt(base.length - at + 1);
                t.write(base, at, keep);
                at += keep;
                int skip = r.nextInt(Math.min(20, base.length - at) + 1);
                at += skip;
                int insert = r.nextInt(20);
                for (int i = 0; i < insert; i++) {
                    t.write(r.nextInt(256));
                }
            }
            if (at < base.length && r.nextBoolean()) {
                t.write(base, at, base.length - at);
            }
            roundTrip(base, t.toByteArray());
        }
    }

    @Test
    void encode_addThenShortCopy_sharesOneOpcode() {
        // "XY" is added, then "abcde" (5 bytes) copied: one ADD+COPY opcode of the default code table
        byte[] delta = roundTrip(utf8("abcdefghijklmnopqrst"), utf8("XYabcde"));
        int instructions = delta[delta.length - 2]; // the one opcode before the one address byte
        assertThat(instructions & 0xFF).isEqualTo(163 + (2 - 1) * 3 + (5 - 4));
    }
}
