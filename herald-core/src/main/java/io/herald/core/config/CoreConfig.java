package io.herald.core.config;

import java.util.List;
import java.util.Objects;

/**
 * Everything the core needs to run one node.
 *
 * @param serverId  this node's id, sent in connectionDetails.serverId and used in connection keys
 * @param limits    size and rate limits
 * @param timings   timings
 * @param sandbox   enable the test-only provisioning endpoints {@code POST /apps} and {@code DELETE /apps/{id}}
 * @param apps      the apps and keys known at start
 */
public record CoreConfig(String serverId, Limits limits, Timings timings, boolean sandbox, List<AppConfig> apps) {
    public CoreConfig {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(timings, "timings");
        apps = List.copyOf(apps);
    }
}
