package io.herald.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RoleTest {

    static final String VIEWER =
            "{\"*::$chat\":[\"channel-metadata\",\"history\",\"subscribe\"],\"poll:*\":[\"object-subscribe\"]}";
    static final String MEMBER = "{\"*::$chat\":[\"annotation-publish\",\"channel-metadata\",\"history\","
            + "\"message-delete-own\",\"message-update-own\",\"presence\",\"publish\",\"subscribe\"],"
            + "\"poll:*\":[\"object-publish\",\"object-subscribe\"]}";
    static final String MODERATOR = "{\"*::$chat\":[\"annotation-publish\",\"channel-metadata\",\"history\","
            + "\"message-delete-any\",\"message-update-own\",\"presence\",\"publish\",\"subscribe\"],"
            + "\"poll:*\":[\"object-publish\",\"object-subscribe\"]}";

    @Test
    void capability_isTheSmallestThatFitsEachRole_onTheChatRoomsChannelsOnly() {
        assertThat(Role.VIEWER.capability().canonical()).isEqualTo(VIEWER);
        assertThat(Role.MEMBER.capability().canonical()).isEqualTo(MEMBER);
        assertThat(Role.MODERATOR.capability().canonical()).isEqualTo(MODERATOR);
        assertThat(Role.ADMIN.capability().canonical()).isEqualTo("{\"*\":[\"*\"]}");
    }

    @Test
    void capability_viewerReads_memberWritesAndEditsOwn_moderatorDeletesAny() {
        String lobby = "lobby::$chat";
        for (Role r : Role.values()) {
            for (String op : new String[] {"subscribe", "history", "channel-metadata"}) {
                assertThat(r.capability().allows(lobby, op)).as("%s %s", r, op).isTrue();
            }
        }
        for (String op : new String[] {"publish", "presence", "annotation-publish", "message-update-own"}) {
            assertThat(Role.VIEWER.capability().allows(lobby, op)).as(op).isFalse();
            assertThat(Role.MEMBER.capability().allows(lobby, op)).as(op).isTrue();
            assertThat(Role.MODERATOR.capability().allows(lobby, op)).as(op).isTrue();
        }
        assertThat(Role.MEMBER.capability().allows(lobby, "message-delete-own")).isTrue();
        assertThat(Role.MEMBER.capability().allows(lobby, "message-delete-any")).isFalse();
        assertThat(Role.MEMBER.capability().allows(lobby, "message-update-any")).isFalse();
        assertThat(Role.MODERATOR.capability().allows(lobby, "message-delete-any"))
                .isTrue();
        assertThat(Role.MODERATOR.capability().allows(lobby, "message-update-any"))
                .isFalse();
        assertThat(Role.MEMBER.capability().allows("random::$chat", "publish")).isTrue();
        assertThat(Role.MEMBER.capability().allows("lobby", "subscribe"))
                .as("the room's plain channel is not a chat room")
                .isFalse();
        assertThat(Role.MODERATOR.capability().allows("admin:ops", "subscribe")).isFalse();
        assertThat(Role.ADMIN.capability().allows("admin:ops", "publish")).isTrue();
        assertThat(Role.ADMIN.capability().allows(lobby, "message-update-any")).isTrue();
    }

    @Test
    void capability_everyoneSeesTheRoomPolls_membersAndModeratorsVote_nothingElseOnThePollChannels() {
        for (Role r : Role.values()) {
            assertThat(r.capability().allows("poll:lobby", "object-subscribe"))
                    .as("%s", r)
                    .isTrue();
            assertThat(r.capability().allows("poll:lobby", "object-publish"))
                    .as("%s", r)
                    .isEqualTo(r != Role.VIEWER);
        }
        assertThat(Role.MEMBER.capability().allows("poll:lobby", "publish")).isFalse();
        assertThat(Role.MEMBER.capability().allows("poll:lobby", "subscribe")).isFalse();
        assertThat(Role.MEMBER.capability().allows("lobby::$chat", "object-publish"))
                .isFalse();
    }

    @Test
    void parse_acceptsLowerCaseIds_andNamesTheChoicesOtherwise() {
        assertThat(Role.parse("viewer")).isEqualTo(Role.VIEWER);
        assertThat(Role.parse(" Admin ")).isEqualTo(Role.ADMIN);
        assertThat(Role.parse("moderator")).isEqualTo(Role.MODERATOR);
        assertThat(Role.MEMBER.id()).isEqualTo("member");
        assertThatThrownBy(() -> Role.parse("root")).hasMessageContaining("viewer, member, moderator or admin");
        assertThatThrownBy(() -> Role.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
