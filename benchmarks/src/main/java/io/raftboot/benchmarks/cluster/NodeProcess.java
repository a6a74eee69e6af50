package io.raftboot.benchmarks.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One node: a JVM started with ProcessBuilder, killed ({@code destroyForcibly}: SIGKILL),
 * stopped (SIGTERM), frozen and resumed ({@code kill -STOP/-CONT}), restarted with the same
 * ports and data directory. Output is appended to {@code <id>.log}.
 */
public final class NodeProcess {

    private final String id;
    private final int httpPort;
    private final int raftPort;
    private final Path dataDir;
    private final Path logFile;
    private volatile Process process;
    private volatile long startedNanos;

    NodeProcess(String id, int httpPort, int raftPort, Path dir) {
        this.id = id;
        this.httpPort = httpPort;
        this.raftPort = raftPort;
        this.dataDir = dir.resolve(id);
        this.logFile = dir.resolve(id + ".log");
    }

    public String id() {
        return id;
    }

    public int httpPort() {
        return httpPort;
    }

    public int raftPort() {
        return raftPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    public long startedNanos() {
        return startedNanos;
    }

    public synchronized void start(List<String> command) {
        if (isAlive()) {
            throw new IllegalStateException(id + " is already running");
        }
        try {
            Files.createDirectories(dataDir);
            Files.writeString(logFile, "\n===== " + Instant.now() + " start: " + String.join(" ", command) + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            startedNanos = System.nanoTime();
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + id + ": " + command, e);
        }
    }

    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL; returns once the process is gone. */
    public void kill() {
        Process p = process;
        if (p == null) {
            return;
        }
        if (p.isAlive()) {
            signal("CONT"); // a frozen process dies as well, but do not leave one behind in any case
        }
        p.destroyForcibly();
        waitFor(p, 30);
    }

    /** Sends SIGKILL without waiting. */
    public void killNoWait() {
        process.destroyForcibly();
    }

    /** Sends SIGTERM without waiting (a graceful Spring shutdown). */
    public void terminateNoWait() {
        process.destroy();
    }

    public boolean awaitExit(int seconds) {
        Process p = process;
        return p == null || waitFor(p, seconds);
    }

    public void freeze() {
        signal("STOP");
    }

    public void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).redirectErrorStream(true).start();
            kill.getInputStream().readAllBytes();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean waitFor(Process p, int seconds) {
        try {
            return p.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public String toString() {
        Process p = process;
        return id + (p == null ? "(never started)" : "(pid " + p.pid() + (p.isAlive() ? "" : ", dead") + ")");
    }
}
