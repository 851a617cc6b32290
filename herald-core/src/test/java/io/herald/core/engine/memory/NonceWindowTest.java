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

    @Test
    void claim_sameNoncesFromManyThreads_eachIsFirstExactlyOnce() throws Exception {
        NonceWindow w = new NonceWindow(100_000);
        int threads = 4;
        int nonces = 5_000;
        java.util.concurrent.atomic.AtomicInteger firsts = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < nonces; i++) {
                        if (w.claim("app.k", "nonce-" + i, NOW + 240_000, NOW) == NonceWindow.Claim.FIRST) {
                            firsts.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (java.util.concurrent.Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(firsts.get()).isEqualTo(nonces);
        assertThat(w.size()).isEqualTo(nonces);
    }

    @Test
    void claim_fullWithExpiredNoncesElsewhere_dropsThemAndAdmits() {
        NonceWindow w = new NonceWindow(1_000);
        for (int i = 0; i < 1_000; i++) {
            w.claim("app.k", "old-" + i, NOW + 60_000, NOW);
        }
        assertThat(w.claim("app.k", "new", NOW + 400_000, NOW + 1)).isEqualTo(NonceWindow.Claim.FULL);
        // the old nonces are past their forgetAfter: a claim must not be refused for them, whichever part holds them
        assertThat(w.claim("app.k", "new", NOW + 400_000, NOW + 200_000)).isEqualTo(NonceWindow.Claim.FIRST);
        w.expire(NOW + 200_000);
        assertThat(w.size()).isEqualTo(1);
    }
}
