package io.herald.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code herald}: the entry point of the server jar.
 */
@Command(
        name = "herald",
        mixinStandardHelpOptions = true,
        versionProvider = HeraldCli.Version.class,
        description = "Herald: a self-hosted, Ably-protocol-compatible realtime server, and its token tools.",
        subcommands = {
            ServeCommand.class,
            BackupCommand.class,
            TokenRequestCommand.class,
            TokenCommand.class,
            CapabilityCommand.class,
            FaultCommand.class,
            RecordCommand.class,
            ReplayCommand.class,
            CommandLine.HelpCommand.class
        })
public final class HeraldCli implements Runnable {

    @SuppressWarnings("NullAway.Init") // injected by picocli before call()
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code = new CommandLine(new HeraldCli())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = HeraldCli.class.getPackage().getImplementationVersion();
            return new String[] {"herald " + (v == null ? "development build" : v)};
        }
    }
}
