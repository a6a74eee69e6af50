package io.raftboot.testsupport.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One node under test: a process started with {@link ProcessBuilder}, killed ({@code kill -9}),
 * stopped (SIGTERM), frozen and resumed (SIGSTOP, SIGCONT) and restarted with the same ports and
 * data directory. Its output is appended to {@code <id>.log} over its incarnations, each begun
 * by a line {@code ===== <instant> start of <id> incarnation <n>: <command>}. What was done to
 * it and when is kept as its {@link #incarnations()}.
 */
public final class NodeProcess {

    /** How long a kill or a graceful stop may take before the test gives up on the process. */
    private static final int EXIT_SECONDS = 30;

    private final String id;
    private final int httpPort;
    private final int raftPort;
    private final Path dataDir;
    private final Path logFile;
    private volatile Process process;
    private volatile boolean frozen;
    private final List<Incarnation> lives = new ArrayList<>();

    /** @param dir where its data directory ({@code <dir>/<id>}) and its log go */
    public NodeProcess(String id, int httpPort, int raftPort, Path dir) {
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

    /** Where its Raft transport listens (gRPC for the starter). */
    public int raftPort() {
        return raftPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    /** How many times it was started; a status answer can carry the incarnation it came from. */
    public int incarnation() {
        synchronized (lives) {
            return lives.size();
        }
    }

    public void start(List<String> command) {
        start(command, Map.of());
    }

    public synchronized void start(List<String> command, Map<String, String> environment) {
        if (isAlive()) {
            throw new IllegalStateException(id + " is already running (pid " + process.pid() + ")");
        }
        try {
            Files.createDirectories(dataDir);
            Files.writeString(
                    logFile,
                    "\n===== " + Instant.now() + " start of " + id + " incarnation " + (incarnation() + 1) + ": "
                            + String.join(" ", command) + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(environment);
            // Before the start: everything this incarnation writes is stamped after it.
            long startedAt = System.nanoTime();
            process = builder.start();
            frozen = false; // a frozen process that died is not frozen once started again
            synchronized (lives) {
                lives.add(new Incarnation(startedAt));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not start node " + id + ": " + command, e);
        }
    }

    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** Whether it runs and is not stopped by SIGSTOP. */
    public boolean isServing() {
        return isAlive() && !frozen;
    }

    public long pid() {
        return process.pid();
    }

    /** {@code kill -9} ({@link Process#destroyForcibly()} sends SIGKILL on Linux); returns once it is gone. */
    public void kill() {
        Process p = process;
        if (p == null) {
            return;
        }
        killNoWait();
        waitFor(p, EXIT_SECONDS);
    }

    /** {@code kill -9} without waiting for the process to be gone. SIGKILL ends a frozen process too. */
    public void killNoWait() {
        Process p = process;
        if (p == null) {
            return;
        }
        boolean wasAlive = p.isAlive();
        // Taken just before the signal: the process lives until at least this instant.
        long killedAt = System.nanoTime();
        p.destroyForcibly();
        if (wasAlive) {
            current().ended(killedAt, "kill -9");
        }
    }

    /** SIGTERM, a graceful shutdown (a starter's leader hands leadership over first); returns once it is gone. */
    public void stop() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        if (frozen) {
            resume();
        }
        p.destroy();
        if (!waitFor(p, EXIT_SECONDS)) {
            p.destroyForcibly();
            waitFor(p, EXIT_SECONDS);
        }
        // Taken once it is surely gone: a graceful stop ends no earlier than this.
        current().ended(System.nanoTime(), "SIGTERM");
    }

    /** SIGTERM without waiting; {@link #awaitExit} records the end. */
    public void terminateNoWait() {
        process.destroy();
    }

    /** Whether it is gone within this time (or never ran); records when it was seen gone if nothing else did. */
    public boolean awaitExit(int seconds) {
        Process p = process;
        if (p == null) {
            return true;
        }
        boolean gone = waitFor(p, seconds);
        if (gone) {
            Incarnation life = current();
            synchronized (life) {
                if (!life.hasEnded()) {
                    life.ended(System.nanoTime(), "exit");
                }
            }
        }
        return gone;
    }

    /** {@code kill -STOP}: the process stays alive but does nothing, like a long GC pause. */
    public void freeze() {
        signal("STOP");
        // Taken after kill(1) returned: the process ran until about now.
        current().stopped(System.nanoTime());
        frozen = true;
    }

    /** {@code kill -CONT}. */
    public void resume() {
        // Taken before the signal: the process runs again no earlier than this.
        current().resumed(System.nanoTime());
        signal("CONT");
        frozen = false;
    }

    /** Every incarnation so far, in start order, with its start, its end if it ended, and its pauses. */
    public List<Incarnation> incarnations() {
        synchronized (lives) {
            return lives.stream().map(Incarnation::copy).toList();
        }
    }

    private Incarnation current() {
        synchronized (lives) {
            return lives.get(lives.size() - 1);
        }
    }

    private void signal(String name) {
        List<String> command = List.of("kill", "-" + name, Long.toString(pid()));
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
        return id
                + (p == null
                        ? " (never started)"
                        : " (pid " + p.pid() + (p.isAlive() ? frozen ? ", stopped" : "" : ", dead") + ")");
    }
}
