package io.herald.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.auth.ApiKey;
import io.herald.auth.Capability;
import io.herald.core.config.AppConfig;
import io.herald.core.config.KeyConfig;
import io.herald.core.config.Limits;
import io.herald.core.internal.AblyException;
import io.herald.core.testing.TestLimits;
import io.herald.protocol.Action;
import io.herald.protocol.Flags;
import io.herald.protocol.Message;
import io.herald.protocol.PresenceMessage;
import io.herald.protocol.ProtocolMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A session's channels, driven directly on a real session (MemoryEngine, hub, manual loop): which modes an ATTACH
 * gets, the channel limit, DETACH and SYNC, and what narrowed credentials, a lost transport, the leave delay and the
 * end of the session do to every channel.
 */
class AttachmentsTest {
    private static final String LIMITED_CAPABILITY =
            "{\"chat:*\":[\"subscribe\",\"presence\",\"publish\"],\"news\":[\"subscribe\"]}";
    private final ApiKey key = ApiKey.generate("app");
    private final ApiKey limited = ApiKey.generate("app");
    private SessionRig rig = rig(Limits.DEFAULTS);

    private SessionRig rig(Limits limits) {
        return new SessionRig(
                List.of(new AppConfig(
                        "app",
                        List.of(
                                KeyConfig.fullAccess(key),
                                new KeyConfig(limited, Capability.parse(LIMITED_CAPABILITY), false)))),
                limits);
    }

    @AfterEach
    void stop() {
        rig.close();
    }

    private SessionRig.Client limitedClient() {
        return rig.connect(Map.of("key", limited.keyString(), "clientId", "alice"));
    }

    private SessionRig.Client watcher() {
        return rig.connect(Map.of("key", key.keyString()));
    }

    private static ProtocolMessage attach(String channel, int flags) {
        ProtocolMessage pm = ProtocolMessage.of(Action.ATTACH, channel);
        pm.flags = flags;
        return pm;
    }

    private void publish(SessionRig.Client c, String channel, String data) {
        ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, channel);
        pm.msgSerial = c.msgSerial++;
        pm.messages = new ArrayList<>(List.of(new Message("n", data)));
        c.send(pm);
    }

    @Test
    void attach_getsTheRequestedModesTheCapabilityGrants() {
        SessionRig.Client c = limitedClient();
        c.session.channels.attach(attach("news", Flags.MODE_SUBSCRIBE | Flags.MODE_PUBLISH));
        rig.loop.runPending();
        assertThat(c.of(Action.ATTACHED))
                .singleElement()
                .satisfies(pm -> assertThat(pm.flags & Flags.MODE_ALL).isEqualTo(Flags.MODE_SUBSCRIBE));
        Attachment att = c.session.channels.get("news");
        assertThat(att.state).isEqualTo(Attachment.State.ATTACHED);
        assertThat(att.requestedModes).isEqualTo(Flags.MODE_SUBSCRIBE | Flags.MODE_PUBLISH);
    }

    @Test
    void attach_withNoModeGranted_isRefused40160_andDropsTheChannelItHad() {
        SessionRig.Client c = limitedClient();
        c.session.channels.attach(attach("news", Flags.MODE_SUBSCRIBE));
        rig.loop.runPending();
        Attachment had = c.session.channels.get("news");
        assertThatThrownBy(() -> c.session.channels.attach(attach("news", Flags.MODE_PUBLISH)))
                .isInstanceOfSatisfying(AblyException.class, e -> {
                    assertThat(e.error().code()).isEqualTo(40160);
                    assertThat(e.error().message())
                            .contains("'news'")
                            .contains(Capability.parse(LIMITED_CAPABILITY).canonical());
                });
        assertThat(c.session.channels.get("news")).isNull();
        assertThat(had.state).isEqualTo(Attachment.State.DETACHED);
    }

    @Test
    void attach_pastMaxChannelsPerConnection_isRefused42913_butAKnownChannelAttachesAgain() {
        rig.close();
        Limits d = Limits.DEFAULTS;
        rig = rig(TestLimits.session(
                2, d.maxPresenceMembers(), d.maxMessagesPerProtocolMessage(), d.maxControlRate(), d.controlBurst()));
        SessionRig.Client c = watcher();
        c.session.channels.attach(attach("a", 0));
        c.session.channels.attach(attach("b", 0));
        rig.loop.runPending();
        assertThatThrownBy(() -> c.session.channels.attach(attach("c", 0)))
                .isInstanceOfSatisfying(AblyException.class, e -> {
                    assertThat(e.error().code()).isEqualTo(42913);
                    assertThat(e.error().message()).contains("(2)");
                });
        c.session.channels.attach(attach("a", 0));
        rig.loop.runPending();
        assertThat(c.session.channels.size()).isEqualTo(2);
        assertThat(c.of(Action.ATTACHED)).extracting(pm -> pm.channel).containsExactly("a", "b", "a");
    }

    @Test
    void detach_isAlwaysAnswered_andTheConnectionsMembersLeave() {
        SessionRig.Client member = limitedClient();
        SessionRig.Client watcher = watcher();
        watcher.attach("chat:room");
        member.attach("chat:room");
        member.enter("chat:room", "hi");
        member.session.channels.detach(ProtocolMessage.of(Action.DETACH, "chat:room"));
        member.session.channels.detach(ProtocolMessage.of(Action.DETACH, "never-attached"));
        rig.loop.runPending();
        assertThat(member.of(Action.DETACHED))
                .extracting(pm -> pm.channel)
                .containsExactly("chat:room", "never-attached");
        assertThat(member.session.channels.get("chat:room")).isNull();
        assertThat(watcher.of(Action.PRESENCE))
                .extracting(pm -> pm.presence.get(0).action)
                .containsExactly(PresenceMessage.ENTER, PresenceMessage.LEAVE);
    }

    @Test
    void recheck_afterNarrowedCredentials_detachesUncoveredChannels40160_andNarrowsTheRest() {
        SessionRig.Client c = limitedClient();
        c.attach("chat:room");
        c.attach("news");
        c.transport.drain();
        c.session.keyChanged(new KeyConfig(limited, Capability.parse("{\"chat:*\":[\"subscribe\"]}"), false));
        assertThat(c.transport.sent()).singleElement().satisfies(pm -> {
            assertThat(pm.action).isEqualTo(Action.ERROR);
            assertThat(pm.channel).isEqualTo("news");
            assertThat(pm.error.code()).isEqualTo(40160);
        });
        assertThat(c.session.channels.get("news")).isNull();
        assertThat(c.session.channels.get("chat:room").modes)
                .isEqualTo(Flags.MODE_SUBSCRIBE | Flags.MODE_PRESENCE_SUBSCRIBE);
        assertThat(c.transport.isOpen()).isTrue();
    }

    @Test
    void suspendAll_stopsDelivery_thenMembersLeave_onlyWhenAsked() {
        SessionRig.Client member = limitedClient();
        SessionRig.Client watcher = watcher();
        watcher.attach("chat:room");
        member.attach("chat:room");
        member.enter("chat:room", "hi");
        member.transport.drain();
        member.session.channels.suspendAll();
        publish(watcher, "chat:room", "while suspended");
        assertThat(member.of(Action.MESSAGE)).isEmpty();
        assertThat(member.session.channels.get("chat:room").state).isEqualTo(Attachment.State.SUSPENDED);
        assertThat(watcher.of(Action.PRESENCE)).hasSize(1);
        member.session.channels.membersLeave();
        rig.loop.runPending();
        assertThat(watcher.of(Action.PRESENCE)).hasSize(2);
        assertThat(watcher.of(Action.PRESENCE).get(1).presence).singleElement().satisfies(p -> {
            assertThat(p.action).isEqualTo(PresenceMessage.LEAVE);
            assertThat(p.clientId).isEqualTo("alice");
        });
        member.session.channels.membersLeave();
        rig.loop.runPending();
        assertThat(watcher.of(Action.PRESENCE)).as("members leave once").hasSize(2);
    }

    @Test
    void endAll_asOwnerMembersLeave_afterATakeoverTheyAreOnlyForgotten() {
        SessionRig.Client owner = limitedClient();
        SessionRig.Client takenOver = rig.connect(Map.of("key", limited.keyString(), "clientId", "bob"));
        SessionRig.Client watcher = watcher();
        watcher.attach("chat:room");
        owner.attach("chat:room");
        owner.enter("chat:room", "a");
        takenOver.attach("chat:room");
        takenOver.enter("chat:room", "b");
        takenOver.session.channels.endAll(false);
        owner.session.channels.endAll(true);
        rig.loop.runPending();
        assertThat(watcher.of(Action.PRESENCE))
                .extracting(pm -> pm.presence.get(0).clientId + " " + pm.presence.get(0).action)
                .containsExactly(
                        "alice " + PresenceMessage.ENTER,
                        "bob " + PresenceMessage.ENTER,
                        "alice " + PresenceMessage.LEAVE);
        assertThat(owner.session.channels.size()).isZero();
    }

    @Test
    void sync_answersWithTheWholePresenceSet_onlyOnAnAttachedPresenceChannel() {
        SessionRig.Client member = limitedClient();
        SessionRig.Client other = watcher();
        other.attach("chat:empty");
        other.attach("chat:room");
        member.attach("chat:room");
        member.enter("chat:room", "hi");
        other.transport.drain();
        other.session.channels.sync(ProtocolMessage.of(Action.SYNC, "chat:room"));
        other.session.channels.sync(ProtocolMessage.of(Action.SYNC, "chat:empty"));
        other.session.channels.sync(ProtocolMessage.of(Action.SYNC, "chat:unknown"));
        rig.loop.runPending();
        List<ProtocolMessage> syncs = other.of(Action.SYNC);
        assertThat(syncs).extracting(pm -> pm.channel).containsExactly("chat:room", "chat:empty");
        assertThat(syncs.get(0).presence)
                .singleElement()
                .satisfies(p -> assertThat(p.clientId).isEqualTo("alice"));
        assertThat(syncs.get(1).presence).isEmpty();
        assertThat(syncs.get(1).channelSerial).endsWith(":");
    }
}
