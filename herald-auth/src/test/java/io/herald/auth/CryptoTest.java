package io.herald.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The HMAC helper keeps initialised Macs per thread: whatever the order of keys, each mac is the one for its key. */
class CryptoTest {

    private static byte[] reference(byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    @Test
    void hmacSha256_keysInAnyOrder_eachMacMatchesAFreshMacForItsKey() throws Exception {
        byte[][] keys = {
            "secret-a".getBytes(StandardCharsets.UTF_8),
            "secret-b".getBytes(StandardCharsets.UTF_8),
            "secret-c".getBytes(StandardCharsets.UTF_8)
        };
        int[] order = {0, 1, 0, 1, 2, 0, 2, 2, 1, 0};
        for (int i = 0; i < order.length; i++) {
            byte[] key = keys[order[i]];
            byte[] data = ("message " + i).getBytes(StandardCharsets.UTF_8);
            assertThat(Crypto.hmacSha256(key, data)).as("step %d", i).isEqualTo(reference(key, data));
        }
    }

    @Test
    void hmacSha256_keyArrayChangedAfterUse_usesTheNewContent() throws Exception {
        byte[] key = "secret-a".getBytes(StandardCharsets.UTF_8);
        byte[] data = "payload".getBytes(StandardCharsets.UTF_8);
        byte[] first = Crypto.hmacSha256(key, data);
        key[0] = 'S';
        assertThat(Crypto.hmacSha256(key, data)).isEqualTo(reference(key, data)).isNotEqualTo(first);
    }
}
