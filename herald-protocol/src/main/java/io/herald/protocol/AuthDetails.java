package io.herald.protocol;

import org.jspecify.annotations.Nullable;

/**
 * The {@code auth} member of an AUTH ProtocolMessage (SPEC AD1, RTC8): {@code {"accessToken":"..."}}.
 */
public final class AuthDetails {
    public @Nullable String accessToken;

    public AuthDetails() {}

    public AuthDetails(String accessToken) {
        this.accessToken = accessToken;
    }
}
