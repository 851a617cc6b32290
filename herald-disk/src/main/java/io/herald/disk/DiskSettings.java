package io.herald.disk;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The disk engine's settings, read from the engine options ({@code herald.yaml} {@code disk:} section and the command
 * line). Every bad value is an {@link IllegalArgumentException} naming the setting.
 *
 * @param dataDir       the RocksDB directory (created if missing); one node per directory
 * @param fsync         when the write-ahead log is forced to the device
 * @param fsyncInterval with {@link Fsync#INTERVAL}, how often
 * @param maxDiskBytes  above this many bytes in {@code dataDir}, publishes to persisted channels are refused (50300)
 * @param allChannels   keep every channel on disk, not only channels of {@code persisted} namespaces
 */
public record DiskSettings(Path dataDir, Fsync fsync, Duration fsyncInterval, long maxDiskBytes, boolean allChannels) {

    public static final String DATA_DIR = "dataDir";
    public static final String FSYNC = "fsync";
    public static final String FSYNC_INTERVAL = "fsyncInterval";
    public static final String MAX_DISK_BYTES = "maxDiskBytes";
    public static final String CHANNELS = "diskChannels";

    public static final String DEFAULT_DATA_DIR = "./herald-data";
    public static final Duration DEFAULT_FSYNC_INTERVAL = Duration.ofSeconds(1);
    public static final long DEFAULT_MAX_DISK_BYTES = 10L << 30;

    /** When an acknowledged write reaches the device (it is always in the write-ahead log before the ACK). */
    public enum Fsync {
        /** every group commit is fsynced before its publishes are acknowledged: nothing acknowledged is ever lost */
        ALWAYS,
        /** the log is fsynced every {@code fsyncInterval}: a process crash loses nothing, a power loss that much */
        INTERVAL,
        /** the operating system decides: a process crash loses nothing, a power loss what the OS had not written */
        NEVER;

        static Fsync parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("fsync must be always, interval or never, got '" + s + "'");
            }
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public DiskSettings {
        if (fsyncInterval.isNegative() || fsyncInterval.isZero()) {
            throw new IllegalArgumentException("fsyncInterval must be positive, got " + fsyncInterval);
        }
        if (maxDiskBytes <= 0) {
            throw new IllegalArgumentException("maxDiskBytes must be positive, got " + maxDiskBytes);
        }
    }

    public static DiskSettings from(Map<String, String> options) {
        String dir = options.getOrDefault(DATA_DIR, DEFAULT_DATA_DIR);
        Fsync fsync = options.containsKey(FSYNC) ? Fsync.parse(options.get(FSYNC)) : Fsync.INTERVAL;
        Duration interval = options.containsKey(FSYNC_INTERVAL)
                ? Duration.ofMillis(number(FSYNC_INTERVAL, options.get(FSYNC_INTERVAL)))
                : DEFAULT_FSYNC_INTERVAL;
        long max = options.containsKey(MAX_DISK_BYTES) ? bytes(options.get(MAX_DISK_BYTES)) : DEFAULT_MAX_DISK_BYTES;
        String channels = options.getOrDefault(CHANNELS, "persisted").trim();
        if (!channels.equals("persisted") && !channels.equals("all")) {
            throw new IllegalArgumentException(CHANNELS + " must be persisted or all, got '" + channels + "'");
        }
        return new DiskSettings(
                Path.of(dir).toAbsolutePath().normalize(), fsync, interval, max, channels.equals("all"));
    }

    /** A byte count: a plain number, or with a unit {@code kb}, {@code mb}, {@code gb} (powers of 1024). */
    static long bytes(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("kb")) {
            unit = 1L << 10;
        } else if (t.endsWith("mb")) {
            unit = 1L << 20;
        } else if (t.endsWith("gb")) {
            unit = 1L << 30;
        }
        String digits = unit == 1 ? t : t.substring(0, t.length() - 2).trim();
        return Math.multiplyExact(number(MAX_DISK_BYTES, digits), unit);
    }

    private static long number(String name, String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got '" + s + "'");
        }
    }
}
