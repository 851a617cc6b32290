package io.herald.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Random identifiers: their alphabets and lengths, and no repeats across the pool of bytes drawn ahead. */
class IdsTest {

    @Test
    void urlSafeAndAlphanumeric_lengthAndAlphabet() {
        for (int len : new int[] {1, 16, 37, 511, 512, 513, 2000}) {
            assertThat(Ids.urlSafe(len)).hasSize(len).matches("[A-Za-z0-9_-]+");
            assertThat(Ids.alphanumeric(len)).hasSize(len).matches("[A-Za-z0-9]+");
        }
    }

    @Test
    void manyIds_noneRepeated_acrossRefillsOfTheDrawnBytes() {
        Set<String> seen = new HashSet<>();
        // 16-character ids use exactly a 512-byte draw per 32 ids; 13-character ones straddle draws
        for (int i = 0; i < 5_000; i++) {
            assertThat(seen.add(Ids.urlSafe(16))).isTrue();
            assertThat(seen.add(Ids.urlSafe(13))).isTrue();
        }
    }

    @Test
    void threads_drawTheirOwn_noIdSharedBetweenThem() throws Exception {
        Set<String> a = new HashSet<>();
        Set<String> b = new HashSet<>();
        Thread ta = new Thread(() -> {
            for (int i = 0; i < 2_000; i++) {
                a.add(Ids.urlSafe(16));
            }
        });
        Thread tb = new Thread(() -> {
            for (int i = 0; i < 2_000; i++) {
                b.add(Ids.urlSafe(16));
            }
        });
        ta.start();
        tb.start();
        ta.join();
        tb.join();
        assertThat(a).hasSize(2_000);
        assertThat(b).hasSize(2_000);
        assertThat(a).doesNotContainAnyElementsOf(b);
    }
}
