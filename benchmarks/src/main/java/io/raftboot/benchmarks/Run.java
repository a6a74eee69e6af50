package io.raftboot.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What one run of the benchmarks collected: results, timelines for plots, notes for the page. */
public final class Run {

    /** One node's role over time around an event, for the failover timeline plot. */
    public record Series(String node, double[] millis, double[] level) {}

    public record Timeline(String scenario, String system, String title, List<Series> series) {}

    public final boolean quick;
    public final Path workDir;
    public final String java;
    public final String classpath;
    public final Path sampleJar;
    public final List<Result> results = Collections.synchronizedList(new ArrayList<>());
    public final List<Timeline> timelines = Collections.synchronizedList(new ArrayList<>());
    /** Per scenario: notes (how it was measured, what is not measured). */
    public final java.util.Map<String, List<String>> notes = new java.util.LinkedHashMap<>();

    /** /proc/loadavg when the run started (other work on the machine distorts every figure). */
    public final String loadAtStart = loadAverage();

    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    public Run(boolean quick, Path workDir, String java, String classpath, Path sampleJar) {
        this.quick = quick;
        this.workDir = workDir;
        this.java = java;
        this.classpath = classpath;
        this.sampleJar = sampleJar;
    }

    public void add(Result r) {
        results.add(r);
        System.out.println("RESULT " + r);
    }

    public synchronized void note(String scenario, String text) {
        notes.computeIfAbsent(scenario, k -> new ArrayList<>()).add(text);
    }

    public static void log(String format, Object... args) {
        System.out.printf("%tT %s%n", System.currentTimeMillis(), String.format(format, args));
    }
}
