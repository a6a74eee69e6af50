package io.raftboot.samples.scheduler.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the command line of a node: the same {@code java} as the test, a small heap, the C1
 * compiler only, and, when it can be prepared, the jar extracted with Spring Boot's
 * {@code jarmode=tools} plus a class data sharing archive from a training run, which cuts the
 * start of each of the many JVMs the tests launch by about a third. If the preparation fails the
 * nodes run the jar as is.
 */
final class AppLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(AppLauncher.class);

    static final List<String> JVM_OPTIONS = List.of("-Xms64m", "-Xmx192m", "-Xss512k", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:+ExitOnOutOfMemoryError");

    private final String java;
    private final Path jar;
    private final List<String> launch = new ArrayList<>();

    private AppLauncher(String java, Path jar) {
        this.java = java;
        this.jar = jar;
    }

    /** @param workDir where the extracted jar and the archive go (reused while the jar is unchanged) */
    static AppLauncher prepare(Path jar, Path workDir) {
        String java = ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("cannot tell which java runs the tests"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the sample jar " + jar + " does not exist: build it with"
                    + " ./mvnw -pl samples/leader-scheduler -am package -DskipTests");
        }
        AppLauncher launcher = new AppLauncher(java, jar);
        if (!Boolean.getBoolean("raft.it.noCds")) {
            launcher.prepareCds(workDir);
        }
        if (launcher.launch.isEmpty()) {
            launcher.launch.addAll(List.of("-jar", jar.toString()));
        }
        return launcher;
    }

    /** The whole command for a node with these application arguments. */
    List<String> command(List<String> appArguments) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(JVM_OPTIONS);
        command.addAll(launch);
        command.addAll(appArguments);
        return command;
    }

    private void prepareCds(Path workDir) {
        try {
            Path app = workDir.resolve("app");
            Path extracted = app.resolve(jar.getFileName());
            Path archive = workDir.resolve("app.jsa");
            Path stamp = workDir.resolve("app.stamp");
            String jarStamp = Files.size(jar) + ":" + Files.getLastModifiedTime(jar).toMillis();
            boolean fresh = Files.isRegularFile(archive) && Files.isRegularFile(extracted) && Files.isRegularFile(stamp)
                    && Files.readString(stamp).equals(jarStamp);
            if (!fresh) {
                long start = System.nanoTime();
                deleteTree(app);
                Files.deleteIfExists(archive);
                Files.createDirectories(workDir);
                run(List.of(java, "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination", app.toString()),
                        workDir.resolve("extract.log"));
                // A training run: starts the context and exits before the web server and the Raft node start.
                Path training = workDir.resolve("training-data");
                List<String> train = new ArrayList<>(List.of(java));
                train.addAll(JVM_OPTIONS);
                train.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-Dspring.context.exit=onRefresh",
                        "-jar", extracted.toString(), "--server.port=0", "--raft.node-id=t1",
                        "--raft.peers.t1=127.0.0.1:1", "--raft.data-dir=" + training, "--logging.level.root=WARN"));
                run(train, workDir.resolve("training.log"));
                deleteTree(training);
                if (!Files.isRegularFile(archive)) {
                    throw new IOException("the training run wrote no " + archive);
                }
                Files.writeString(stamp, jarStamp);
                LOG.info("Prepared the class data sharing archive for the nodes in {} ms",
                        (System.nanoTime() - start) / 1_000_000);
            }
            launch.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-jar", extracted.toString()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not prepare the class data sharing archive ({}); the nodes run {} as is", e.toString(), jar);
            launch.clear();
        }
    }

    private static void run(List<String> command, Path log) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
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
                    + Files.readString(log, StandardCharsets.UTF_8).lines().reduce((a, b) -> b).orElse(""));
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
