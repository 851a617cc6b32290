package io.herald.server.cli;

import io.herald.disk.DiskBackup;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code herald backup}: a consistent copy of a disk engine's data directory, while the node runs or not. */
@Command(
        name = "backup",
        mixinStandardHelpOptions = true,
        description = "Copy the disk engine's store consistently (the node may be running). Restore by starting "
                + "herald serve --data-dir OUT.")
final class BackupCommand implements Callable<Integer> {

    @Option(names = "--data-dir", description = "The node's data directory (default ./herald-data).")
    Path dataDir = Path.of("herald-data");

    @SuppressWarnings("NullAway.Init") // required: picocli sets it or refuses the command line
    @Option(names = "--out", required = true, description = "A new directory for the copy.")
    Path out;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        try {
            DiskBackup.create(dataDir.toAbsolutePath(), out.toAbsolutePath());
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("herald backup: " + e.getMessage());
            return 1;
        }
        System.out.printf(
                "Backup of %s written to %s in %d ms. Restore: herald serve --data-dir %s%n",
                dataDir.toAbsolutePath(), out.toAbsolutePath(), (System.nanoTime() - start) / 1_000_000, out);
        return 0;
    }
}
