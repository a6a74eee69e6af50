package io.raftboot.benchmarks.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Three JVMs of {@code samples/leader-scheduler/target/leader-scheduler.jar} at default Raft settings. */
public final class OursCluster extends Cluster {

    private final String java;
    private final Path jar;

    public OursCluster(int size, Path dir, String java, Path jar) {
        super(size, dir);
        this.java = java;
        this.jar = jar;
    }

    @Override
    public String system() {
        return io.raftboot.benchmarks.Result.OURS;
    }

    @Override
    protected List<String> command(NodeProcess node) {
        List<String> c = new ArrayList<>(List.of(java));
        c.addAll(JVM_OPTIONS);
        c.addAll(List.of("-jar", jar.toString(), "--server.port=" + node.httpPort(), "--raft.node-id=" + node.id()));
        for (NodeProcess p : nodes.values()) {
            c.add("--raft.peers." + p.id() + "=127.0.0.1:" + p.raftPort());
        }
        c.add("--raft.data-dir=" + node.dataDir());
        return c;
    }

    @Override
    protected String statusPath() {
        return "/actuator/raft";
    }

    @Override
    public String settings() {
        return "election-timeout 300ms (random [300,600) ms), heartbeat 50ms, tick 10ms, pre-vote + check-quorum,"
                + " fsync per Ready (group commit); JVM " + String.join(" ", JVM_OPTIONS);
    }

    @Override
    public boolean handsOverOnShutdown() {
        return true;
    }
}
