package io.herald.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the numbers were measured on. */
final class Machine {
    private Machine() {}

    static Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cpu", cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        m.put("memory", memTotal());
        m.put(
                "os",
                read("/etc/os-release", "PRETTY_NAME=").replace("\"", "") + ", Linux "
                        + read("/proc/sys/kernel/osrelease", ""));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("node", version(List.of("node", "--version")));
        m.put("fd limit", version(List.of("sh", "-c", "ulimit -n")));
        m.put("load average at start", Proc.loadAvg());
        return m;
    }

    private static String cpuModel() {
        String model = read("/proc/cpuinfo", "model name");
        return model.isEmpty() ? System.getProperty("os.arch") : model.replaceFirst("^\\s*:\\s*", "");
    }

    private static String memTotal() {
        String kb = read("/proc/meminfo", "MemTotal:").replaceAll("[^0-9]", "");
        return kb.isEmpty()
                ? "?"
                : String.format(java.util.Locale.ROOT, "%.1f GiB", Long.parseLong(kb) / 1024.0 / 1024.0);
    }

    private static String read(String file, String prefix) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(prefix)) {
                    return line.substring(prefix.length()).trim();
                }
            }
        } catch (IOException e) {
            // unknown
        }
        return "";
    }

    private static String version(List<String> cmd) {
        try {
            return Proc.run(cmd, 10).trim();
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }
}
