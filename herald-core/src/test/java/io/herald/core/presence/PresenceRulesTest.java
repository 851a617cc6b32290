package io.herald.core.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.channel.MessageRules;
import io.herald.core.internal.AblyException;
import io.herald.protocol.Action;
import io.herald.protocol.PresenceMessage;
import io.herald.protocol.ProtocolMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Completing client presence events, SYNC paging and synthesized leaves. */
class PresenceRulesTest {
    private static final MessageRules.Publisher ALICE = new MessageRules.Publisher("conn", "alice", false);
    private static final MessageRules.Publisher ANONYMOUS = new MessageRules.Publisher("conn", null, false);

    private static PresenceMessage event(int action, String clientId) {
        PresenceMessage p = new PresenceMessage();
        p.action = action;
        p.clientId = clientId;
        p.data = "d";
        return p;
    }

    private static int code(Runnable r) {
        try {
            r.run();
        } catch (AblyException e) {
            return e.error().code();
        }
        throw new AssertionError("not refused");
    }

    @Test
    void complete_fillsIdentityIdsAndTime_andTakesPresentAsUpdate() {
        List<PresenceMessage> events = new ArrayList<>(List.of(
                event(PresenceMessage.ENTER, null),
                event(PresenceMessage.PRESENT, "alice"),
                event(PresenceMessage.LEAVE, null)));
        PresenceRules.complete(events, ALICE, "conn:4", 1234L);
        assertThat(events)
                .extracting(p -> p.action)
                .containsExactly(PresenceMessage.ENTER, PresenceMessage.UPDATE, PresenceMessage.LEAVE);
        assertThat(events).extracting(p -> p.id).containsExactly("conn:4:0", "conn:4:1", "conn:4:2");
        assertThat(events).allSatisfy(p -> {
            assertThat(p.clientId).isEqualTo("alice");
            assertThat(p.connectionId).isEqualTo("conn");
            assertThat(p.timestamp).isEqualTo(1234L);
        });
    }

    @Test
    void complete_refusals() {
        assertThat(code(() -> PresenceRules.complete(List.of(), ALICE, "p", 0))).isEqualTo(40000);
        assertThat(code(() -> PresenceRules.complete(null, ALICE, "p", 0))).isEqualTo(40000);
        assertThat(code(() -> PresenceRules.complete(List.of(event(PresenceMessage.ABSENT, null)), ALICE, "p", 0)))
                .isEqualTo(40000);
        assertThat(code(() -> PresenceRules.complete(List.of(event(PresenceMessage.ENTER, null)), ANONYMOUS, "p", 0)))
                .isEqualTo(91000);
        assertThat(code(() -> PresenceRules.complete(List.of(event(PresenceMessage.ENTER, "bob")), ALICE, "p", 0)))
                .isEqualTo(40012);
        assertThatThrownBy(() -> PresenceRules.complete(List.of(event(9, null)), ALICE, "p", 0))
                .hasMessageContaining("Invalid presence action 9");
    }

    @Test
    void syncPages_ofAHundredEach_cursorEmptyOnTheLast() {
        List<PresenceMessage> members = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            members.add(event(PresenceMessage.PRESENT, "c" + i));
        }
        List<ProtocolMessage> pages = PresenceRules.syncPages("room", members);
        assertThat(pages).hasSize(3);
        assertThat(pages).allSatisfy(pm -> {
            assertThat(pm.action).isEqualTo(Action.SYNC);
            assertThat(pm.channel).isEqualTo("room");
        });
        String syncId = pages.get(0)
                .channelSerial
                .substring(0, pages.get(0).channelSerial.indexOf(':'));
        assertThat(pages)
                .extracting(pm -> pm.channelSerial)
                .containsExactly(syncId + ":100", syncId + ":200", syncId + ":");
        assertThat(pages).extracting(pm -> pm.presence.size()).containsExactly(100, 100, 50);
        assertThat(pages.get(2).presence.get(49).clientId).isEqualTo("c249");
        assertThat(PresenceRules.syncPages("room", List.of())).isEmpty();
    }

    @Test
    void synthesizedLeaves_copyTheMember_withOwnIdsAndTime() {
        PresenceMessage m = event(PresenceMessage.PRESENT, "alice");
        m.connectionId = "conn";
        m.encoding = "json";
        PresenceMessage other = event(PresenceMessage.PRESENT, "bob");
        List<PresenceMessage> leaves = PresenceRules.synthesizedLeaves(List.of(m, other), 99L);
        assertThat(leaves).hasSize(2).allSatisfy(l -> {
            assertThat(l.action).isEqualTo(PresenceMessage.LEAVE);
            assertThat(l.timestamp).isEqualTo(99L);
            assertThat(l.id).startsWith("leave-");
        });
        assertThat(leaves.get(0).clientId).isEqualTo("alice");
        assertThat(leaves.get(0).connectionId).isEqualTo("conn");
        assertThat(leaves.get(0).encoding).isEqualTo("json");
        assertThat(leaves.get(0).data).isEqualTo("d");
        assertThat(leaves.get(1).id).endsWith(":0:1");
        assertThat(leaves.get(0).id).doesNotStartWith("conn");
    }
}
