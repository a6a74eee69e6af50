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
    /** What the test did to each incarnation and when, for the lease-probe analysis ({@link LeaseIntervals}). */
    private final List<LeaseIntervals.Incarnation> lives = new ArrayList<>();

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
        start(command, java.util.Map.of());
    }

    synchronized void start(List<String> command, java.util.Map<String, String> environment) {
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
            builder.environment().putAll(environment);
            // Before the start: every probe line of this incarnation is written after it.
            long startedAt = System.nanoTime();
            process = builder.start();
            synchronized (lives) {
                lives.add(new LeaseIntervals.Incarnation(startedAt));
            }
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
        boolean wasAlive = p.isAlive();
        // Taken just before the signal: the process lives until at least this instant.
        long killedAt = System.nanoTime();
        p.destroyForcibly();
        waitFor(p, 30);
        if (wasAlive) {
            current().ended(killedAt, "kill -9");
        }
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
        // Taken once it is surely gone: a graceful stop ends no earlier than this.
        current().ended(System.nanoTime(), "SIGTERM");
    }

    /** {@code kill -STOP}: the process stays alive but does nothing, like a long GC pause. */
    void freeze() {
        signal("STOP");
        // Taken after kill(1) returned: the process ran until about now.
        current().stopped(System.nanoTime());
        frozen = true;
    }

    /** {@code kill -CONT}. */
    void resume() {
        // Taken before the signal: the process runs again no earlier than this.
        current().resumed(System.nanoTime());
        signal("CONT");
        frozen = false;
    }

    /** Every incarnation so far, with its start, its end if it ended, and its SIGSTOP pauses. */
    List<LeaseIntervals.Incarnation> incarnations() {
        synchronized (lives) {
            return lives.stream().map(LeaseIntervals.Incarnation::copy).toList();
        }
    }

    private LeaseIntervals.Incarnation current() {
        synchronized (lives) {
            return lives.get(lives.size() - 1);
        }
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
