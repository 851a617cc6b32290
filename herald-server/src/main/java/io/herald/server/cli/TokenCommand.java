package io.herald.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code herald token}: token helpers ({@code inspect}).
 */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = "Token helpers.",
        subcommands = {TokenInspectCommand.class})
final class TokenCommand implements Callable<Integer> {

    @SuppressWarnings("NullAway.Init") // injected by picocli before call()
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }
}
