package io.herald.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.auth.ApiKey;
import io.herald.auth.Capability;
import io.herald.core.config.AppConfig;
import io.herald.core.config.KeyConfig;
import io.herald.core.config.Limits;
import io.herald.protocol.Action;
import io.herald.protocol.Flags;
import io.herald.protocol.ProtocolMessage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * LiveObjects through real sessions on the memory engine: OBJECT is checked, applied, ACKed with its serials and
 * delivered to OBJECT_SUBSCRIBE attachments; an attach with OBJECT_SUBSCRIBE gets HAS_OBJECTS and an OBJECT_SYNC.
 */
class ObjectsSessionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int OBJECT_MODES = Flags.MODE_OBJECT_SUBSCRIBE | Flags.MODE_OBJECT_PUBLISH;

    private final ApiKey full = ApiKey.generate("app");
    private final ApiKey readOnly = ApiKey.generate("app");
    private final SessionRig rig = new SessionRig(
            List.of(new AppConfig(
                    "app",
                    List.of(
                            KeyConfig.fullAccess(full),
                            new KeyConfig(
                                    readOnly,
                                    Capability.parse("{\"*\":[\"subscribe\",\"object-subscribe\"]}"),
                                    false)))),
            Limits.DEFAULTS);

    @AfterEach
    void stop() {
        rig.close();
    }

    private SessionRig.Client client(ApiKey key) {
        SessionRig.Client c = rig.connect(Map.of("key", key.keyString()));
        c.transport.drain();
        return c;
    }

    private static void attach(SessionRig.Client c, String channel, int modes) {
        ProtocolMessage attach = ProtocolMessage.of(Action.ATTACH, channel);
        attach.flags = modes;
        c.send(attach);
    }

    private static ProtocolMessage object(long msgSerial, String stateJson) throws Exception {
        ProtocolMessage pm = ProtocolMessage.of(Action.OBJECT, "things");
        pm.msgSerial = msgSerial;
        pm.state = JSON.readTree(stateJson.replace('\'', '"'));
        return pm;
    }

    @Test
    void attachWithObjectSubscribe_getsHasObjectsAndASyncOfTheRoot() {
        SessionRig.Client c = client(full);
        attach(c, "things", OBJECT_MODES);
        List<ProtocolMessage> sent = c.transport.sent();
        assertThat(sent.get(0).action).isEqualTo(Action.ATTACHED);
        assertThat(sent.get(0).hasFlag(Flags.HAS_OBJECTS)).isTrue();
        assertThat(sent.get(1).action).isEqualTo(Action.OBJECT_SYNC);
        assertThat(sent.get(1).channelSerial).matches("[A-Za-z0-9]+:");
        assertThat(sent.get(1).state.get(0).at("/object/objectId").asText()).isEqualTo("root");
        ProtocolMessage connected =
                rig.connect(Map.of("key", full.keyString())).transport.sent().get(0);
        assertThat(connected.connectionDetails.siteCode).isEqualTo("herald");
        assertThat(connected.connectionDetails.objectsGCGracePeriod).isEqualTo(86_400_000L);
    }

    @Test
    void attachWithoutObjectModes_hasNoObjects() {
        SessionRig.Client c = client(full);
        c.attach("things");
        assertThat(c.transport.sent()).singleElement().satisfies(pm -> {
            assertThat(pm.action).isEqualTo(Action.ATTACHED);
            assertThat(pm.hasFlag(Flags.HAS_OBJECTS)).isFalse();
        });
    }

    @Test
    void objectOperation_isAckedWithItsSerial_deliveredAndSyncedToALateJoiner() throws Exception {
        SessionRig.Client a = client(full);
        SessionRig.Client watcher = client(full);
        SessionRig.Client plain = client(full);
        attach(a, "things", OBJECT_MODES);
        attach(watcher, "things", OBJECT_MODES);
        plain.attach("things");
        a.transport.drain();
        watcher.transport.drain();
        plain.transport.drain();

        a.send(object(
                0,
                "[{'operation':{'action':1,'objectId':'root','mapSet':{'key':'k','value':{'string':'v'}}}},"
                        + "{'operation':{'action':4,'objectId':'counter:abc@1','counterInc':{'number':2}}}]"));
        ProtocolMessage ack = a.of(Action.ACK).get(0);
        List<String> serials = ack.res.get(0).serials();
        assertThat(serials).hasSize(2);
        assertThat(serials.get(0)).isLessThan(serials.get(1));

        ProtocolMessage event = watcher.of(Action.OBJECT).get(0);
        JsonNode first = event.state.get(0);
        assertThat(first.get("serial").asText()).isEqualTo(serials.get(0));
        assertThat(first.get("siteCode").asText()).isEqualTo("herald");
        assertThat(first.get("connectionId").asText()).isEqualTo(a.session.connectionId);
        assertThat(first.at("/operation/mapSet/value/string").asText()).isEqualTo("v");
        assertThat(plain.of(Action.OBJECT)).isEmpty();

        SessionRig.Client late = client(full);
        attach(late, "things", Flags.MODE_OBJECT_SUBSCRIBE);
        ProtocolMessage sync = late.of(Action.OBJECT_SYNC).get(0);
        assertThat(sync.state).hasSize(2);
        assertThat(sync.state.get(0).at("/object/map/entries/k/data/string").asText())
                .isEqualTo("v");
        assertThat(sync.state.get(0).at("/object/siteTimeserials/herald").asText())
                .isEqualTo(serials.get(0));
        assertThat(sync.state.get(1).at("/object/counter/count").asInt()).isEqualTo(2);
    }

    @Test
    void thePublisherGetsItsEchoBeforeItsAck() throws Exception {
        SessionRig.Client a = client(full);
        attach(a, "things", OBJECT_MODES);
        a.transport.drain();
        for (int i = 0; i < 3; i++) {
            a.send(object(i, "[{'operation':{'action':4,'objectId':'counter:abc@1','counterInc':{'number':1}}}]"));
        }
        List<ProtocolMessage> sent = a.transport.sent();
        List<Integer> actions = sent.stream().map(m -> m.action).toList();
        assertThat(actions)
                .containsExactly(Action.OBJECT, Action.ACK, Action.OBJECT, Action.ACK, Action.OBJECT, Action.ACK);
        for (int i = 0; i < 3; i++) {
            String serial = sent.get(2 * i + 1).res.get(0).serials().get(0);
            assertThat(sent.get(2 * i).state.get(0).get("serial").asText()).isEqualTo(serial);
        }
    }

    @Test
    void withoutObjectSubscribe_theAckDoesNotWait() throws Exception {
        SessionRig.Client a = client(full);
        attach(a, "things", Flags.MODE_OBJECT_PUBLISH);
        a.transport.drain();
        a.send(object(0, "[{'operation':{'action':4,'objectId':'counter:abc@1','counterInc':{'number':1}}}]"));
        assertThat(a.transport.sent()).extracting(m -> m.action).containsExactly(Action.ACK);
    }

    @Test
    void withoutObjectPublish_isNacked40160_andNothingChanges() throws Exception {
        SessionRig.Client c = client(readOnly);
        attach(c, "things", Flags.MODE_OBJECT_SUBSCRIBE);
        c.transport.drain();
        c.send(object(0, "[{'operation':{'action':1,'objectId':'root','mapSet':{'key':'k','value':{'string':'v'}}}}]"));
        assertThat(c.of(Action.NACK))
                .singleElement()
                .satisfies(n -> assertThat(n.error.code()).isEqualTo(40160));
        assertThat(c.of(Action.OBJECT)).isEmpty();
        assertThat(c.session.isConnected()).isTrue();
    }

    @Test
    void badBatch_isNacked92000_wholly() throws Exception {
        SessionRig.Client c = client(full);
        attach(c, "things", OBJECT_MODES);
        c.transport.drain();
        c.send(object(
                0,
                "[{'operation':{'action':1,'objectId':'root','mapSet':{'key':'k','value':{'string':'v'}}}},"
                        + "{'operation':{'action':9,'objectId':'root'}}]"));
        c.send(object(1, "{'not':'an array'}"));
        c.send(object(2, "[{'operation':{'action':5,'objectId':'root'}}]"));
        assertThat(c.of(Action.NACK)).extracting(n -> n.error.code()).containsExactly(92000, 92000, 92000);
        assertThat(c.of(Action.OBJECT)).isEmpty();
        assertThat(c.session.isConnected()).isTrue();
    }

    @Test
    void reattach_sendsTheObjectsAgain() throws Exception {
        SessionRig.Client c = client(full);
        attach(c, "things", OBJECT_MODES);
        c.send(object(0, "[{'operation':{'action':1,'objectId':'root','mapSet':{'key':'k','value':{'number':1}}}}]"));
        c.transport.drain();
        attach(c, "things", OBJECT_MODES);
        List<ProtocolMessage> sent = c.transport.sent();
        assertThat(sent.get(0).action).isEqualTo(Action.ATTACHED);
        assertThat(sent.get(0).hasFlag(Flags.HAS_OBJECTS)).isTrue();
        assertThat(sent.get(1).action).isEqualTo(Action.OBJECT_SYNC);
        assertThat(sent.get(1)
                        .state
                        .get(0)
                        .at("/object/map/entries/k/data/number")
                        .asInt())
                .isEqualTo(1);
    }
}
