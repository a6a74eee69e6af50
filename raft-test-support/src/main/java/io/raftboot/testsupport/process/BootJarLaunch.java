package io.raftboot.testsupport.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The command line of a node that runs a Spring Boot jar with the Raft starter: a {@code java},
 * its JVM options, then either {@code -jar <jar>} or, when it could be prepared, the jar extracted
 * with Spring Boot's {@code jarmode=tools} and started with a class data sharing archive from a
 * training run. The archive cuts the start of each of the many JVMs a fault test or a benchmark
 * launches by about a third and changes nothing else (same JIT, GC and heap); if the preparation
 * fails the nodes run the jar as is and {@link #fallbackReason()} says why.
 */
public final class BootJarLaunch {

    private final String java;
    private final List<String> jvmOptions;
    private final List<String> launch;
    private final String fallbackReason;
    private final Duration preparation;

    private BootJarLaunch(
            String java, List<String> jvmOptions, List<String> launch, String fallbackReason, Duration preparation) {
        this.java = java;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.launch = List.copyOf(launch);
        this.fallbackReason = fallbackReason;
        this.preparation = preparation;
    }

    /** The {@code java} that runs this JVM, so that the nodes run on the same one. */
    public static String currentJava() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElseThrow(() -> new IllegalStateException("cannot tell which java runs this JVM"));
    }

    /** {@code java <jvmOptions> -jar <jar>}. */
    public static BootJarLaunch plain(String java, Path jar, List<String> jvmOptions) {
        return new BootJarLaunch(java, jvmOptions, List.of("-jar", jar.toString()), null, Duration.ZERO);
    }

    /**
     * With the jar extracted and a class data sharing archive, both kept in {@code workDir} and
     * reused while the jar is unchanged (same size and modification time).
     *
     * @param trainingTimeout how long the extraction and the training run may each take
     */
    public static BootJarLaunch withClassDataSharing(
            String java, Path jar, List<String> jvmOptions, Path workDir, Duration trainingTimeout) {
        long start = System.nanoTime();
        try {
            Path app = workDir.resolve("app");
            Path extracted = app.resolve(jar.getFileName());
            Path archive = workDir.resolve("app.jsa");
            Path stamp = workDir.resolve("app.stamp");
            String jarStamp =
                    Files.size(jar) + ":" + Files.getLastModifiedTime(jar).toMillis();
            boolean fresh = Files.isRegularFile(archive)
                    && Files.isRegularFile(extracted)
                    && Files.isRegularFile(stamp)
                    && Files.readString(stamp).equals(jarStamp);
            if (!fresh) {
                deleteTree(app);
                Files.deleteIfExists(archive);
                Files.createDirectories(workDir);
                run(
                        List.of(
                                java,
                                "-Djarmode=tools",
                                "-jar",
                                jar.toString(),
                                "extract",
                                "--destination",
                                app.toString()),
                        workDir.resolve("extract.log"),
                        trainingTimeout);
                // A training run: starts the context and exits before the web server and the Raft node start.
                Path training = workDir.resolve("training-data");
                List<String> train = new ArrayList<>(List.of(java));
                train.addAll(jvmOptions);
                train.addAll(List.of(
                        "-XX:ArchiveClassesAtExit=" + archive,
                        "-Dspring.context.exit=onRefresh",
                        "-jar",
                        extracted.toString(),
                        "--server.port=0",
                        "--raft.node-id=t1",
                        "--raft.peers.t1=127.0.0.1:1",
                        "--raft.data-dir=" + training,
                        "--logging.level.root=WARN"));
                run(train, workDir.resolve("training.log"), trainingTimeout);
                deleteTree(training);
                if (!Files.isRegularFile(archive)) {
                    throw new IOException("the training run wrote no " + archive);
                }
                Files.writeString(stamp, jarStamp);
            }
            return new BootJarLaunch(
                    java,
                    jvmOptions,
                    List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto", "-jar", extracted.toString()),
                    null,
                    fresh ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException | RuntimeException e) {
            return new BootJarLaunch(java, jvmOptions, List.of("-jar", jar.toString()), e.toString(), Duration.ZERO);
        }
    }

    /** The whole command for a node with these application arguments. */
    public List<String> command(List<String> appArguments) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions);
        command.addAll(launch);
        command.addAll(appArguments);
        return command;
    }

    /** Whether the nodes start with the class data sharing archive. */
    public boolean sharesClassData() {
        return launch.size() > 2;
    }

    /** Why the nodes run the jar as is although an archive was asked for. */
    public Optional<String> fallbackReason() {
        return Optional.ofNullable(fallbackReason);
    }

    /** How long extracting and training took; zero when the archive was reused or none was asked for. */
    public Duration preparation() {
        return preparation;
    }

    private static void run(List<String> command, Path log, Duration timeout) throws IOException {
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", command));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("exit code " + p.exitValue() + " of " + String.join(" ", command) + ": "
                    + Files.readString(log, StandardCharsets.UTF_8)
                            .lines()
                            .reduce((a, b) -> b)
                            .orElse(""));
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
