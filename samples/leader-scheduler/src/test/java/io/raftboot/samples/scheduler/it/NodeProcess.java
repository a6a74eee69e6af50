package io.raftboot.samples.scheduler.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One node of the cluster under test: a JVM of the sample jar, started, killed, frozen and
 * restarted with the same ports and data directory. Its output goes to {@code <id>.log},
 * appended over its incarnations.
 */
final class NodeProcess {

    private final String id;
    private final int httpPort;
    private final int grpcPort;
    private final Path dataDir;
    private final Path logFile;
    private volatile Process process;
    private volatile int incarnation;
    private volatile boolean frozen;

    NodeProcess(String id, int httpPort, int grpcPort, Path dir) {
        this.id = id;
        this.httpPort = httpPort;
        this.grpcPort = grpcPort;
        this.dataDir = dir.resolve(id);
        this.logFile = dir.resolve(id + ".log");
    }

    String id() {
        return id;
    }

    int httpPort() {
        return httpPort;
    }

    int grpcPort() {
        return grpcPort;
    }

    Path dataDir() {
        return dataDir;
    }

    Path logFile() {
        return logFile;
    }

    /** How many times this node was started; a status answer carries the incarnation it came from. */
    int incarnation() {
        return incarnation;
    }

    synchronized void start(List<String> command) {
        if (isAlive()) {
            throw new IllegalStateException(id + " is already running (pid " + process.pid() + ")");
        }
        try {
            Files.createDirectories(dataDir);
            Files.writeString(logFile, "\n===== " + Instant.now() + " start of " + id + " incarnation " + (incarnation + 1)
                    + ": " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            process = builder.start();
            frozen = false;
            incarnation++;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start node " + id + ": " + command, e);
        }
    }

    boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** Whether it runs and is not stopped by SIGSTOP. */
    boolean isServing() {
        return isAlive() && !frozen;
    }

    long pid() {
        return process.pid();
    }

    /** {@code kill -9}: Process.destroyForcibly() sends SIGKILL on Linux. Returns once it is gone. */
    void kill() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroyForcibly();
        waitFor(p, 30);
        frozen = false;
    }

    /** SIGTERM: a graceful Spring shutdown (a leader hands leadership over first). */
    void stop() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        if (frozen) {
            resume();
        }
        p.destroy();
        if (!waitFor(p, 30)) {
            p.destroyForcibly();
            waitFor(p, 30);
        }
    }

    /** {@code kill -STOP}: the process stays alive but does nothing, like a long GC pause. */
    void freeze() {
        signal("STOP");
        frozen = true;
    }

    /** {@code kill -CONT}. */
    void resume() {
        signal("CONT");
        frozen = false;
    }

    private void signal(String name) {
        List<String> command = new ArrayList<>(List.of("kill", "-" + name, Long.toString(pid())));
        try {
            Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command) + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending SIG" + name + " to " + id, e);
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

    /** The last lines of its log, for failure messages. */
    String logTail(int lines) {
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
        return id + (p == null ? " (never started)" : " (pid " + p.pid() + (p.isAlive() ? frozen ? ", stopped" : "" : ", dead") + ")");
    }
}
