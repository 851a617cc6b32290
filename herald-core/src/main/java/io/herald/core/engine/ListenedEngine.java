package io.herald.core.engine;

import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An engine whose broker tells a {@link PublishListener} about each publish that succeeded and appended something.
 * Everything else is the wrapped engine's.
 */
public final class ListenedEngine implements Engine {
    private static final Logger LOG = LoggerFactory.getLogger(ListenedEngine.class);

    private final Engine engine;
    private final Broker broker;

    public ListenedEngine(Engine engine, PublishListener listener) {
        this.engine = engine;
        Broker inner = engine.broker();
        this.broker = new Broker() {
            @Override
            public CompletionStage<PublishOutcome> publish(PublishRequest request) {
                return inner.publish(request).whenComplete((outcome, failure) -> {
                    if (failure == null && outcome != null && outcome.serial() != null) {
                        try {
                            listener.published(request, outcome);
                        } catch (RuntimeException e) {
                            LOG.warn("publish listener failed: {}", e.toString());
                        }
                    }
                });
            }

            @Override
            public CompletionStage<Void> subscribe(ChannelId channel) {
                return inner.subscribe(channel);
            }

            @Override
            public CompletionStage<Void> unsubscribe(ChannelId channel) {
                return inner.unsubscribe(channel);
            }

            @Override
            public CompletionStage<ChannelSerial> position(ChannelId channel) {
                return inner.position(channel);
            }
        };
    }

    @Override
    public void start(EngineListener listener) {
        engine.start(listener);
    }

    @Override
    public Broker broker() {
        return broker;
    }

    @Override
    public HistoryStore history() {
        return engine.history();
    }

    @Override
    public PresenceStore presence() {
        return engine.presence();
    }

    @Override
    public NonceStore nonces() {
        return engine.nonces();
    }

    @Override
    public RevocationStore revocations() {
        return engine.revocations();
    }

    @Override
    public ConnectionStore connections() {
        return engine.connections();
    }

    @Override
    public OccupancyStore occupancy() {
        return engine.occupancy();
    }

    @Override
    public StatsStore stats() {
        return engine.stats();
    }

    @Override
    public ObjectsStore objects() {
        return engine.objects();
    }

    @Override
    public boolean isReady() {
        return engine.isReady();
    }

    @Override
    public String describe() {
        return engine.describe();
    }

    @Override
    public void close() {
        engine.close();
    }
}
