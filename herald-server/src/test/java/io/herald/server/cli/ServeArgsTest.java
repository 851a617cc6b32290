package io.herald.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@link ServeArgs} reads what it reads as picocli does, and leaves every other command line to picocli. */
class ServeArgsTest {

    private static String[] split(String line) {
        return line.isEmpty() ? new String[0] : line.split(" ", -1);
    }

    private static String fields(ServeCommand c) {
        return Arrays.asList(
                        c.port,
                        c.host,
                        c.config,
                        c.keys,
                        c.engine,
                        c.dataDir,
                        c.fsync,
                        c.redis,
                        c.serverId,
                        c.sandbox,
                        c.sandboxPublic,
                        c.logFormat)
                .toString();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "--engine memory --port 18080 --key app.key:secretsecretsecret",
                "--engine memory --port 0 --host 127.0.0.1",
                "--port=9000 --host=0.0.0.0 --engine=redis --redis=redis://127.0.0.1:6379",
                "--key a.b:c --key d.e:f --key=g.h:i",
                "--config ./herald.yaml --data-dir /tmp/herald-data --fsync always",
                "--sandbox --sandbox-public --server-id node-a --log-format json",
                "--engine disk --data-dir ./herald-data --fsync=never --sandbox",
                "--key app.key:se=cret"
            })
    void plainCommandLines_readAsPicocliReadsThem(String line) {
        String[] args = split(line);
        ServeCommand viaPicocli = new ServeCommand();
        new CommandLine(viaPicocli).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);

        ServeCommand fast = ServeArgs.parse(args);

        assertThat(fast).isNotNull();
        assertThat(fields(fast)).isEqualTo(fields(viaPicocli));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "--help",
                "-h",
                "--version",
                "-V",
                "--port",
                "--port abc",
                "--port 08080",
                "--port 0x1F90",
                "--port 1 --port 2",
                "--engine memory --engine disk",
                "--no-such-option 1",
                "--sandbox=true",
                "--sandbox --sandbox",
                "--host -x",
                "--key @keys.txt",
                "@args.txt",
                "--",
                "positional",
                "--host=",
                "--engine \"memory\"",
                "-port 8080"
            })
    void anythingElse_isLeftToPicocli(String line) {
        assertThat(ServeArgs.parse(split(line))).isNull();
    }
}
