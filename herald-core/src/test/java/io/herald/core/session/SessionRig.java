package io.herald.core.session;

import io.herald.core.channel.ChannelPolicy;
import io.herald.core.config.AppConfig;
import io.herald.core.config.CoreConfig;
import io.herald.core.config.Limits;
import io.herald.core.config.Timings;
import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.EngineContext;
import io.herald.core.engine.EngineListener;
import io.herald.core.engine.Revocation;
import io.herald.core.engine.memory.MemoryEngine;
import io.herald.core.hub.Hub;
import io.herald.core.observe.Observer;
import io.herald.core.security.Authenticator;
import io.herald.core.security.KeyRegistry;
import io.herald.core.security.RateLimits;
import io.herald.core.testing.ManualLoop;
import io.herald.core.testing.MutableClock;
import io.herald.core.testing.RecordingTransport;
import io.herald.protocol.Action;
import io.herald.protocol.Format;
import io.herald.protocol.PresenceMessage;
import io.herald.protocol.ProtocolMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Real sessions without a socket: the services a node gives them (MemoryEngine, hub, authenticator), a manual loop and
 * a mutable clock, and clients on recording transports whose {@link Session} a test can reach into.
 */
final class SessionRig implements AutoCloseable {
    final MutableClock clock = new MutableClock(1_800_000_000_000L);
    final ManualLoop loop = new ManualLoop(clock);
    final MemoryEngine engine;
    final SessionManager manager;

    SessionRig(List<AppConfig> apps, Limits limits) {
        CoreConfig cfg = new CoreConfig("test-node", limits, Timings.DEFAULTS, false, apps);
        engine = new MemoryEngine(new EngineContext(cfg, clock, "n1", Map.of()));
        KeyRegistry keys = new KeyRegistry(apps, limits);
        Hub hub = new Hub(engine.broker());
        manager = new SessionManager(new SessionServices(
                cfg,
                clock,
                engine,
                hub,
                new Authenticator(keys, engine.revocations(), cfg.timings(), clock),
                new ChannelPolicy(keys::app, cfg.timings()),
                Observer.NONE,
                new RateLimits(clock, keys::limits),
                keys::limits));
        engine.start(new EngineListener() {
            @Override
            public void onChannelEvent(ChannelEvent event) {
                hub.dispatch(event);
            }

            @Override
            public void onRevocation(Revocation revocation) {
                manager.onRevocation(revocation);
            }
        });
    }

    Client connect(Map<String, String> query) {
        return new Client(query);
    }

    @Override
    public void close() {
        engine.close();
    }

    final class Client {
        final RecordingTransport transport = new RecordingTransport(Format.JSON);
        final ConnectionHandler handler;
        final Session session;
        long msgSerial;

        Client(Map<String, String> query) {
            Map<String, String> q = new HashMap<>(query);
            q.put("format", "json");
            handler = manager.connect(transport, loop, q);
            loop.runPending();
            session = manager.byConnectionKey(transport.sent().get(0).connectionKey);
        }

        /** A frame from the client, as the transport hands it over. */
        void send(ProtocolMessage pm) {
            handler.onMessage(pm);
            loop.runPending();
        }

        void attach(String channel) {
            send(ProtocolMessage.of(Action.ATTACH, channel));
        }

        void enter(String channel, String data) {
            ProtocolMessage pm = ProtocolMessage.of(Action.PRESENCE, channel);
            pm.msgSerial = msgSerial++;
            PresenceMessage p = new PresenceMessage();
            p.action = PresenceMessage.ENTER;
            p.data = data;
            pm.presence = new ArrayList<>(List.of(p));
            send(pm);
        }

        List<ProtocolMessage> of(int action) {
            return transport.sent().stream().filter(p -> p.action == action).toList();
        }
    }
}
