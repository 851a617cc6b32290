package io.herald.core.engine;

import java.util.Objects;

/** A channel of an app: channels of different apps never meet. */
public record ChannelId(String appId, String name) {
    public ChannelId {
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
        return appId + "/" + name;
    }
}
