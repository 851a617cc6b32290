package io.herald.core.engine.memory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NonceWindowTest {
    private static final long NOW = 1_800_000_000_000L;

    @Test
    void claim_sameNonceTwice_secondIsReplayed() {
        NonceWindow w = new NonceWindow(100);
        assertThat(w.claim("app.k", "1234567890123456", NOW + 240_000, NOW)).isEqualTo(NonceWindow.Claim.FIRST);
        assertThat(w.claim("app.k", "1234567890123456", NOW + 240_000, NOW + 1)).isEqualTo(NonceWindow.Claim.REPLAYED);
        assertThat(w.claim("app.other", "1234567890123456", NOW + 240_000, NOW)).isEqualTo(NonceWindow.Claim.FIRST);
    }

    @Test
    void claim_afterForgetAfter_isForgottenAndMemoryReturned() {
        NonceWindow w = new NonceWindow(100);
        w.claim("app.k", "n1", NOW + 60_000, NOW);
        assertThat(w.claim("app.k", "n1", NOW + 60_000, NOW + 59_000)).isEqualTo(NonceWindow.Claim.REPLAYED);
        w.expire(NOW + 200_000);
        assertThat(w.size()).isZero();
        assertThat(w.claim("app.k", "n1", NOW + 400_000, NOW + 200_000)).isEqualTo(NonceWindow.Claim.FIRST);
    }

    @Test
    void claim_manyNonces_allDistinctAndBounded() {
        NonceWindow w = new NonceWindow(50_000);
        for (int i = 0; i < 50_000; i++) {
            assertThat(w.claim("app.k", "nonce-" + i, NOW + 240_000, NOW)).isEqualTo(NonceWindow.Claim.FIRST);
        }
        assertThat(w.claim("app.k", "one-more", NOW + 240_000, NOW)).isEqualTo(NonceWindow.Claim.FULL);
        assertThat(w.claim("app.k", "nonce-49999", NOW + 240_000, NOW)).isEqualTo(NonceWindow.Claim.REPLAYED);
    }
}
