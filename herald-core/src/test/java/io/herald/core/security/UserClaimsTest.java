package io.herald.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UserClaimsTest {

    @Test
    void theMostSpecificClaimWins() {
        Map<String, String> all = new HashMap<>(Map.of(
                "ably.channel.chat:general", "channel",
                "ably.channel.chat:*", "namespace",
                "ably.channel.*", "any channel"));
        UserClaims claims = UserClaims.of(all);
        assertThat(claims.forChannel("chat:general")).isEqualTo("channel");
        assertThat(claims.forChannel("chat:random")).isEqualTo("namespace");
        assertThat(claims.forChannel("news")).isEqualTo("any channel");
        // "chat:*" names the namespace "chat", not channels whose names start with "chat"
        assertThat(claims.forChannel("chatter")).isEqualTo("any channel");
        all.remove("ably.channel.*");
        assertThat(UserClaims.of(all).forChannel("news")).isNull();
    }

    @Test
    void roomClaimsApplyToTheRoomsChannel() {
        UserClaims claims = UserClaims.of(Map.of(
                "ably.room.lobby", "host",
                "ably.room.dms:*", "dm",
                "ably.room.*", "any room",
                "ably.channel.dms:*", "dm channel"));
        assertThat(claims.forChannel("lobby::$chat")).isEqualTo("host");
        assertThat(claims.forChannel("other::$chat")).isEqualTo("any room");
        // a channel claim beats a room claim of the same reach
        assertThat(claims.forChannel("dms:ada::$chat")).isEqualTo("dm channel");
        // room claims are for rooms only
        assertThat(claims.forChannel("lobby")).isNull();
        assertThat(UserClaims.of(Map.of("ably.room.dms:*", "dm")).forChannel("dms:ada::$chat"))
                .isEqualTo("dm");
        assertThat(UserClaims.of(Map.of("ably.channel.lobby::$chat", "exact", "ably.room.lobby", "room"))
                        .forChannel("lobby::$chat"))
                .isEqualTo("exact");
    }

    @Test
    void noClaims() {
        assertThat(UserClaims.of(Map.of())).isSameAs(UserClaims.NONE);
        assertThat(UserClaims.NONE.forChannel("x")).isNull();
        assertThat(UserClaims.NONE.isEmpty()).isTrue();
    }
}
