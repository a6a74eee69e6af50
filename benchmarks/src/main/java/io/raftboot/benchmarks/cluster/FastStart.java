package io.raftboot.benchmarks.cluster;

import io.raftboot.benchmarks.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The sample jar extracted with Spring Boot's {@code jarmode=tools} plus an AppCDS archive from a
 * training run: the nodes start faster (many restarts per run), nothing else changes (same JIT,
 * GC and heap). Falls back to {@code -jar} if the preparation fails.
 */
final class FastStart {

    private FastStart() {
    }

    static List<String> launchArguments(String java, Path jar, Path workDir) {
        try {
            Path app = workDir.resolve("app");
            Path extracted = app.resolve(jar.getFileName());
            Path archive = workDir.resolve("app.jsa");
            Path stamp = workDir.resolve("app.stamp");
            String jarStamp = Files.size(jar) + ":" + Files.getLastModifiedTime(jar).toMillis();
            boolean fresh = Files.isRegularFile(archive) && Files.isRegularFile(extracted) && Files.isRegularFile(stamp)
                    && Files.readString(stamp).equals(jarStamp);
            if (!fresh) {
                deleteTree(app);
                Files.deleteIfExists(archive);
                Files.createDirectories(workDir);
                run(List.of(java, "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination", app.toString()),
                        workDir.resolve("extract.log"));
                Path training = workDir.resolve("training-data");
                List<String> train = new ArrayList<>(List.of(java));
                train.addAll(Cluster.JVM_OPTIONS);
                train.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-Dspring.context.exit=onRefresh", "-jar",
                        extracted.toString(), "--server.port=0", "--raft.node-id=t1", "--raft.peers.t1=127.0.0.1:1",
                        "--raft.data-dir=" + training, "--logging.level.root=WARN"));
                run(train, workDir.resolve("training.log"));
                deleteTree(training);
                if (!Files.isRegularFile(archive)) {
                    throw new IOException("the training run wrote no " + archive);
                }
                Files.writeString(stamp, jarStamp);
            }
            return List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto", "-jar", extracted.toString());
        } catch (IOException | RuntimeException e) {
            Run.log("could not prepare the CDS archive (%s); the nodes run the jar as is", e);
            return List.of("-jar", jar.toString());
        }
    }

    private static void run(List<String> command, Path log) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", command));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("exit code " + p.exitValue() + " of " + String.join(" ", command));
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
