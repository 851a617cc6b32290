package io.herald.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code herald capability}: capability helpers ({@code explain}).
 */
@Command(
        name = "capability",
        mixinStandardHelpOptions = true,
        description = "Capability helpers.",
        subcommands = {CapabilityExplainCommand.class})
final class CapabilityCommand implements Callable<Integer> {

    @SuppressWarnings("NullAway.Init") // injected by picocli before call()
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }
}
