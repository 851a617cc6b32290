package io.herald.server.cli;

import io.herald.auth.ApiKey;
import io.herald.auth.AuthException;
import io.herald.auth.Capability;
import io.herald.auth.TokenParams;
import io.herald.auth.TokenRequest;
import io.herald.auth.TokenRequests;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code herald token-request}: prints a signed TokenRequest, made locally by herald-auth exactly as an app server
 * would make one.
 */
@Command(
        name = "token-request",
        mixinStandardHelpOptions = true,
        description =
                "Print a signed TokenRequest (JSON) for the key, as an app server's /api/ably/token would return it.")
final class TokenRequestCommand implements Callable<Integer> {

    @SuppressWarnings("NullAway.Init") // required: picocli sets it or refuses the command line
    @Option(names = "--key", required = true, description = "API key appId.keyId:secret.")
    String key;

    @Option(names = "--client-id", description = "clientId the token is bound to ('*' for any).")
    @Nullable
    String clientId;

    @Option(names = "--capability", description = "Capability JSON, e.g. '{\"chat:*\":[\"subscribe\"]}'.")
    @Nullable
    String capability;

    @Option(names = "--ttl", description = "Token lifetime in ms.")
    @Nullable
    Long ttl;

    @Override
    public Integer call() {
        try {
            ApiKey apiKey = ApiKey.parse(key);
            TokenParams params = new TokenParams();
            params.clientId = clientId;
            params.ttl = ttl;
            params.capability =
                    capability == null ? null : Capability.parse(capability).canonical();
            TokenRequest request = TokenRequests.create(apiKey, params, Clock.systemUTC());
            System.out.println(request.toJson());
            return 0;
        } catch (AuthException e) {
            System.err.println("herald: " + e.getMessage());
            return 2;
        }
    }
}
