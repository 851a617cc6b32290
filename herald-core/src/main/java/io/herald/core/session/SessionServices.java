package io.herald.core.session;

import io.herald.core.channel.ChannelPolicy;
import io.herald.core.config.CoreConfig;
import io.herald.core.config.Limits;
import io.herald.core.engine.Engine;
import io.herald.core.hub.Hub;
import io.herald.core.observe.AppStats;
import io.herald.core.observe.Observer;
import io.herald.core.security.Authenticator;
import io.herald.core.security.RateLimits;
import java.time.Clock;
import java.util.function.Function;

/**
 * The node's services a session uses.
 */
public record SessionServices(
        CoreConfig config,
        Clock clock,
        Engine engine,
        Hub hub,
        Authenticator authenticator,
        ChannelPolicy channels,
        Observer observer,
        RateLimits rateLimits,
        Function<String, Limits> limits,
        AppStats stats) {

    /** Services whose usage statistics go nowhere anyone reads. */
    public SessionServices(
            CoreConfig config,
            Clock clock,
            Engine engine,
            Hub hub,
            Authenticator authenticator,
            ChannelPolicy channels,
            Observer observer,
            RateLimits rateLimits,
            Function<String, Limits> limits) {
        this(config, clock, engine, hub, authenticator, channels, observer, rateLimits, limits, new AppStats(clock));
    }
}
