package io.herald.protocol;

/**
 * The {@code auth} member of an AUTH ProtocolMessage (SPEC AD1, RTC8): {@code {"accessToken":"..."}}.
 */
public final class AuthDetails {
    public String accessToken;

    public AuthDetails() {
    }

    public AuthDetails(String accessToken) {
        this.accessToken = accessToken;
    }
}
