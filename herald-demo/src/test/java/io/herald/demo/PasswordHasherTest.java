package io.herald.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    @Test
    void hash_thenVerify_acceptsTheRightPasswordOnly() {
        String hash = PasswordHasher.hash("correct horse".toCharArray(), 1000);
        assertThat(hash).startsWith("pbkdf2_sha256$1000$").doesNotContain("correct horse");
        assertThat(PasswordHasher.verify("correct horse".toCharArray(), hash)).isTrue();
        assertThat(PasswordHasher.verify("correct hors".toCharArray(), hash)).isFalse();
        assertThat(PasswordHasher.verify(new char[0], hash)).isFalse();
    }

    @Test
    void hash_samePasswordTwice_usesDifferentSalts() {
        assertThat(PasswordHasher.hash("pw".toCharArray(), 10))
                .isNotEqualTo(PasswordHasher.hash("pw".toCharArray(), 10));
    }

    @Test
    void hash_default_usesOwaspIterationCount() {
        assertThat(PasswordHasher.hash("pw".toCharArray())).startsWith("pbkdf2_sha256$600000$");
    }

    @Test
    void verify_malformedHash_isRejectedWithAMessage() {
        assertThatThrownBy(() -> PasswordHasher.verify("pw".toCharArray(), "plain-text"))
                .hasMessageContaining("pbkdf2_sha256$");
        assertThatThrownBy(() -> PasswordHasher.validate("pbkdf2_sha256$x$AAAA$AAAA"))
                .hasMessageContaining("not a number");
        assertThatThrownBy(() -> PasswordHasher.validate("pbkdf2_sha256$0$AAAAAAAAAAA=$AAAAAAAAAAAAAAAAAAAAAA=="))
                .hasMessageContaining("iterations");
        assertThatThrownBy(() -> PasswordHasher.validate("pbkdf2_sha256$10$!!$AAAA"))
                .hasMessageContaining("base64");
        assertThatThrownBy(() -> PasswordHasher.validate("pbkdf2_sha256$10$AAAA$AAAA"))
                .hasMessageContaining("too short");
    }
}
