package io.herald.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.server.cli.HeraldCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code herald serve} runs on a command line that knows only {@code serve} (start-up: picocli reflects over every
 * command it knows): what a user sees of {@code serve} must be what the full command line shows.
 */
class ServeCommandLineTest {

    private static Cli run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = cl.setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new Cli(code, out.toString(), err.toString());
    }

    private static void sameAsFullCommandLine(String... args) {
        Cli full = run(new CommandLine(new HeraldCli()).setCaseInsensitiveEnumValuesAllowed(true), args);
        Cli serveOnly = run(HeraldCli.commandLine(args), args);

        assertThat(serveOnly).isEqualTo(full);
    }

    @Test
    void serveHelp_sameUsageAsTheFullCommandLine() {
        sameAsFullCommandLine("serve", "--help");
    }

    @Test
    void serveWithAnUnknownOption_sameErrorAndExitCode() {
        sameAsFullCommandLine("serve", "--no-such-option");
    }

    @Test
    void serveWithAnOptionMissingItsValue_sameErrorAndExitCode() {
        sameAsFullCommandLine("serve", "--port");
    }

    @Test
    void serveVersion_sameOutput() {
        sameAsFullCommandLine("serve", "--version");
    }

    @Test
    void serveHelp_namesTheCommandHeraldServe() {
        Cli r = run(HeraldCli.commandLine("serve", "--help"), "serve", "--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("Usage: herald serve ").contains("--engine", "--key", "--port");
    }

    @Test
    void otherCommands_getTheFullCommandLine() {
        assertThat(HeraldCli.commandLine("token", "inspect").getSubcommands())
                .containsKeys("serve", "backup", "token-request", "token", "capability", "fault", "record", "replay");
        assertThat(HeraldCli.commandLine().getSubcommands()).containsKey("token-request");
        assertThat(HeraldCli.commandLine("serve").getSubcommands()).containsOnlyKeys("serve");
    }
}
