package io.raftboot.benchmarks.cluster;

import io.raftboot.benchmarks.Result;
import io.raftboot.benchmarks.ratis.RatisNodeMain;
import io.raftboot.benchmarks.ratis.RatisSettings;
import io.raftboot.testsupport.process.NodeProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Three Ratis server processes ({@link RatisNodeMain}) started with the benchmarks classpath. */
public final class RatisCluster extends Cluster {

    private final String java;
    private final String classpath;

    public RatisCluster(int size, Path dir, String java, String classpath) {
        super(size, dir);
        this.java = java;
        this.classpath = classpath;
    }

    @Override
    public String system() {
        return Result.RATIS;
    }

    @Override
    protected List<String> command(NodeProcess node) {
        List<String> c = new ArrayList<>(List.of(java));
        c.addAll(JVM_OPTIONS);
        c.addAll(List.of(
                "-Dsun.net.httpserver.nodelay=true",
                "-cp",
                classpath,
                RatisNodeMain.class.getName(),
                "--id",
                node.id(),
                "--http",
                Integer.toString(node.httpPort()),
                "--dir",
                node.dataDir().toString(),
                "--raft-port",
                Integer.toString(node.raftPort()),
                "--peers",
                nodes().stream()
                        .map(p -> p.id() + "=127.0.0.1:" + advertisedRaftPort(p))
                        .collect(Collectors.joining(","))));
        return c;
    }

    @Override
    protected String statusPath() {
        return "/status";
    }

    @Override
    public String settings() {
        return RatisSettings.describe() + "; JVM " + String.join(" ", JVM_OPTIONS);
    }

    @Override
    public boolean handsOverOnShutdown() {
        return false;
    }
}
