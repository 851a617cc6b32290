package io.herald.server.cli;

import io.herald.auth.ApiKey;
import io.herald.auth.AuthException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code herald token inspect}: decodes a Herald token, an Ably JWT, a TokenRequest or a TokenDetails, verifies it
 * when given the key, and says whether it is valid (or, for a TokenRequest, whether Herald would accept it) and why
 * not. Exit code 0 valid, 1 invalid, 2 usage error.
 */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description = {
            "Decode a Herald token, an Ably JWT, a TokenRequest or TokenDetails JSON; verify it with --key.",
            "Prints clientId, capability, issued/expires (with time left) and, for a TokenRequest, whether the mac, the "
                    + "timestamp window (±2 min of this machine's clock) and the nonce would pass, with the reason when not.",
            "Exit code: 0 valid (would be accepted), 1 invalid (would be refused), 2 usage error."
        },
        exitCodeOnInvalidInput = 2)
final class TokenInspectCommand implements Callable<Integer> {

    @SuppressWarnings("NullAway.Init") // required positional parameter: picocli sets it or refuses the command line
    @Parameters(
            index = "0",
            paramLabel = "TOKEN",
            description = "A Herald token (hdt1.…), an Ably JWT, TokenRequest or TokenDetails JSON; - reads stdin.")
    String input;

    @Option(
            names = "--key",
            paramLabel = "K",
            description = "API key appId.keyId:secret to verify the signature " + "or mac with.")
    @Nullable
    String key;

    @SuppressWarnings("NullAway.Init") // injected by picocli before call()
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ApiKey apiKey = null;
        if (key != null) {
            try {
                apiKey = ApiKey.parse(key.strip());
            } catch (AuthException e) {
                err.println("herald: --key: " + e.getMessage());
                err.flush();
                return 2;
            }
        }
        String text = input;
        if ("-".equals(input)) {
            try {
                text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("herald: cannot read stdin: " + e.getMessage());
                err.flush();
                return 2;
            }
        }
        if (text == null || text.isBlank()) {
            err.println("herald: nothing to inspect: give a token, a JWT or TokenRequest JSON");
            err.flush();
            return 2;
        }
        TokenInspector.Report report = TokenInspector.inspect(text, apiKey, Clock.systemUTC());
        report.lines().forEach(out::println);
        out.flush();
        return report.valid() ? 0 : 1;
    }
}
