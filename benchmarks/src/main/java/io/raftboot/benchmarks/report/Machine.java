package io.raftboot.benchmarks.report;

import io.raftboot.benchmarks.scenario.ProcStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the page says about the machine the figures come from. */
final class Machine {

    private Machine() {}

    static String describe(String java, Path root, String loadAtStart) {
        String cpu = "unknown";
        String ram = "unknown";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("unknown");
            ram = Files.readAllLines(Path.of("/proc/meminfo")).stream()
                    .filter(l -> l.startsWith("MemTotal"))
                    .map(l -> String.format("%.1f GiB", Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0))
                    .findFirst()
                    .orElse("unknown");
        } catch (IOException e) {
            // leave unknown
        }
        String javaVersion = ProcStats.exec(List.of(java, "-version")).trim().replace("\n", "; ");
        String kernel = ProcStats.exec(List.of("uname", "-sr")).trim();
        String commit = ProcStats.exec(List.of("git", "-C", root.toString(), "rev-parse", "--short", "HEAD"))
                .trim();
        return "| | |\n|---|---|\n"
                + "| CPUs (nproc) | " + Runtime.getRuntime().availableProcessors() + " |\n"
                + "| CPU model | " + cpu + " |\n"
                + "| RAM | " + ram + " |\n"
                + "| Java | " + javaVersion + " |\n"
                + "| Kernel | " + kernel + " |\n"
                + "| Commit measured | " + commit + " |\n"
                + "| Load average (1/5/15 min) at start / end of the run | " + loadAtStart + " / "
                + io.raftboot.benchmarks.Run.loadAverage() + " |\n";
    }
}
