package io.herald.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RoleTest {

    @Test
    void capability_isTheSmallestThatFitsEachRole() {
        assertThat(Role.VIEWER.capability().canonical()).isEqualTo("{\"chat:*\":[\"history\",\"subscribe\"]}");
        assertThat(Role.MEMBER.capability().canonical())
                .isEqualTo("{\"chat:*\":[\"history\",\"presence\",\"publish\",\"subscribe\"]}");
        assertThat(Role.ADMIN.capability().canonical()).isEqualTo("{\"*\":[\"*\"]}");
    }

    @Test
    void capability_viewerReadsOnly_memberAlsoWritesAndEnters_onChatChannelsOnly() {
        assertThat(Role.VIEWER.capability().allows("chat:lobby", "subscribe")).isTrue();
        assertThat(Role.VIEWER.capability().allows("chat:lobby", "history")).isTrue();
        assertThat(Role.VIEWER.capability().allows("chat:lobby", "publish")).isFalse();
        assertThat(Role.VIEWER.capability().allows("chat:lobby", "presence")).isFalse();
        assertThat(Role.MEMBER.capability().allows("chat:lobby", "publish")).isTrue();
        assertThat(Role.MEMBER.capability().allows("chat:lobby", "presence")).isTrue();
        assertThat(Role.MEMBER.capability().allows("admin:ops", "subscribe")).isFalse();
        assertThat(Role.ADMIN.capability().allows("admin:ops", "publish")).isTrue();
    }

    @Test
    void parse_acceptsLowerCaseIds_andNamesTheChoicesOtherwise() {
        assertThat(Role.parse("viewer")).isEqualTo(Role.VIEWER);
        assertThat(Role.parse(" Admin ")).isEqualTo(Role.ADMIN);
        assertThat(Role.MEMBER.id()).isEqualTo("member");
        assertThatThrownBy(() -> Role.parse("root")).hasMessageContaining("viewer, member or admin");
        assertThatThrownBy(() -> Role.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
