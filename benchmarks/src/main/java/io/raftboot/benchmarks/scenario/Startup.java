package io.raftboot.benchmarks.scenario;

import io.raftboot.benchmarks.Result;
import io.raftboot.benchmarks.Run;
import io.raftboot.benchmarks.bare.BareApp;
import io.raftboot.benchmarks.cluster.Cluster;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Scenario 6, start-up: wall time from launching the JVM to Spring Boot's "Started BareApp" log
 * line, for the same small web + actuator app (1) without the starter on the classpath, (2) with it
 * and {@code raft.enabled=false}, (3) with it as a one-voter cluster (gRPC server, data directory,
 * Raft loop). Runs alternate between the variants; the median of each is reported.
 */
public final class Startup {

    private final Run run;

    public Startup(Run run) {
        this.run = run;
    }

    public void measure(int repeats) throws IOException {
        String full2 = run.classpath;
        String bare = Arrays.stream(full2.split(java.io.File.pathSeparator))
                .filter(p -> {
                    String f = Path.of(p).getFileName().toString();
                    return !(f.startsWith("raft-")
                            || f.startsWith("grpc-")
                            || f.startsWith("protobuf-")
                            || f.startsWith("proto-google")
                            || f.startsWith("perfmark"));
                })
                .collect(Collectors.joining(java.io.File.pathSeparator));
        Path data = run.workDir.resolve("startup");
        Files.createDirectories(data);
        List<Double> without = new ArrayList<>();
        List<Double> disabled = new ArrayList<>();
        List<Double> enabled = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            without.add(startMillis(bare, List.of("--server.port=0")));
            disabled.add(
                    startMillis(full2, List.of("--server.port=0", "--grpc.server.port=0", "--raft.enabled=false")));
            int port = 20_000 + (int) (Math.random() * 10_000);
            enabled.add(startMillis(
                    full2,
                    List.of(
                            "--server.port=0",
                            "--raft.node-id=n1",
                            "--raft.peers.n1=127.0.0.1:" + port,
                            "--raft.data-dir=" + data.resolve("n1-" + i))));
        }
        String s = "JVM " + String.join(" ", Cluster.JVM_OPTIONS)
                + "; launch -> 'Started BareApp' line; web + actuator app; " + repeats + " runs each, alternating";
        Result a = Result.of(Footprint.SCENARIO, "spring-boot (no starter)", "start-up time", without, "ms", s, "");
        Result b = Result.of(
                Footprint.SCENARIO,
                Result.OURS,
                "start-up time, starter on classpath, raft.enabled=false",
                disabled,
                "ms",
                s,
                "");
        Result c = Result.of(
                Footprint.SCENARIO,
                Result.OURS,
                "start-up time, starter enabled (1-voter cluster)",
                enabled,
                "ms",
                s,
                "");
        run.add(a);
        run.add(b);
        run.add(c);
        run.add(Result.single(
                Footprint.SCENARIO,
                Result.OURS,
                "start-up time added (median enabled - median without starter)",
                c.p50() - a.p50(),
                "ms",
                s,
                "<= 200 ms"));
    }

    private double startMillis(String classpath, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(run.java));
        command.addAll(Cluster.JVM_OPTIONS);
        command.addAll(List.of("-cp", classpath, BareApp.class.getName()));
        command.addAll(args);
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = r.readLine()) != null) {
                if (line.contains("Started BareApp in")) {
                    double ms = (System.nanoTime() - start) / 1e6;
                    return ms;
                }
                seen.append(line).append('\n');
                if (seen.length() > 200_000) {
                    seen.setLength(0);
                }
            }
            throw new IllegalStateException("BareApp exited without starting: " + command + "\n" + seen);
        } finally {
            p.destroy();
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
