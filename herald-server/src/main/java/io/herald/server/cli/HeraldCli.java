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

    /** Netty's switch for its Flight Recorder events; see {@link #main}. */
    static final String NETTY_JFR = "io.netty.jfr.enabled";

    public static void main(String[] args) {
        // Herald records no Netty JFR events, and Netty's check for them starts the Flight Recorder's Java side
        // (about a hundred classes) on the way to "ready": off unless asked for (-Dio.netty.jfr.enabled=true).
        // A JFR recording started with jcmd or -XX:StartFlightRecording works as before.
        if (System.getProperty(NETTY_JFR) == null) {
            System.setProperty(NETTY_JFR, "false");
        }
        ServeCommand serve = args.length > 0 && args[0].equals("serve")
                ? ServeArgs.parse(java.util.Arrays.copyOfRange(args, 1, args.length))
                : null;
        int code = serve != null ? run(serve) : commandLine(args).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Runs a {@code serve} read by {@link ServeArgs} as picocli would: its result is the exit code, and an exception
     * it throws is printed with its stack trace on standard error, exit code 1.
     */
    @SuppressWarnings("CatchingUnchecked") // as picocli's execute: whatever the command throws ends it with exit 1
    private static int run(ServeCommand serve) {
        try {
            Integer code = serve.call();
            return code == null ? 0 : code;
        } catch (Exception e) {
            e.printStackTrace();
            return 1;
        }
    }

    /**
     * The command line that runs {@code args}. For {@code serve}, a root that knows only {@code serve}
     * ({@link ServeOnly}): picocli reads every command's annotations by reflection when it builds a command line, and
     * the other commands and their subcommands were two fifths of the Java work on the way to ready. The {@code serve}
     * command is the same either way (its options, help, errors and exit codes); {@code herald serve} spelled in
     * any other way (a prefix option such as {@code herald -h serve}) takes the full command line.
     */
    public static CommandLine commandLine(String... args) {
        Object root = args.length > 0 && args[0].equals("serve") ? new ServeOnly() : new HeraldCli();
        return new CommandLine(root).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code herald} with {@code serve} as its only command; see {@link #commandLine}. */
    @Command(
            name = "herald",
            mixinStandardHelpOptions = true,
            versionProvider = HeraldCli.Version.class,
            subcommands = {ServeCommand.class})
    static final class ServeOnly implements Runnable {
        @SuppressWarnings("NullAway.Init") // injected by picocli before call()
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(System.out);
        }
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
