package io.herald.server.cli;

import java.io.PrintWriter;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** {@code --url} and {@code --key} of the commands that talk to a server as an Ably client (record, replay). */
final class EndpointOptions {

    @Option(names = "--url", description = "The server (default ${DEFAULT-VALUE}).")
    String url = "http://localhost:8080";

    @Option(
            names = "--key",
            defaultValue = "${env:HERALD_KEY}",
            description = "API key appId.keyId:secret (default: the environment variable HERALD_KEY).")
    @Nullable
    String key;

    /** The key, stripped; {@code null} after telling {@code err} how to give one. */
    @Nullable
    String keyOrExplain(PrintWriter err, String command) {
        if (key == null || key.isBlank()) {
            err.println(command + ": no key: give --key or set HERALD_KEY");
            return null;
        }
        return key.strip();
    }
}
