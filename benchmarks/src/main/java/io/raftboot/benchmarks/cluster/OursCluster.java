package io.raftboot.benchmarks.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Three JVMs of {@code samples/leader-scheduler/target/leader-scheduler.jar} at default Raft settings. */
public final class OursCluster extends Cluster {

    private final String java;
    private final List<String> launch;

    /** @param cdsDir where the extracted jar and its class data sharing archive are kept between runs */
    public OursCluster(int size, Path dir, String java, Path jar, Path cdsDir) {
        super(size, dir);
        this.java = java;
        this.launch = FastStart.launchArguments(java, jar, cdsDir);
    }

    @Override
    public String system() {
        return io.raftboot.benchmarks.Result.OURS;
    }

    @Override
    protected List<String> command(NodeProcess node) {
        List<String> c = new ArrayList<>(List.of(java));
        c.addAll(JVM_OPTIONS);
        c.addAll(launch);
        c.addAll(List.of("--server.port=" + node.httpPort(), "--raft.node-id=" + node.id()));
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
                + " fsync per Ready (group commit); JVM " + String.join(" ", JVM_OPTIONS)
                + (launch.size() > 2 ? " (jar extracted, AppCDS archive: faster restarts only)" : "");
    }

    @Override
    public boolean handsOverOnShutdown() {
        return true;
    }

    @Override
    public boolean reportsLease() {
        return true;
    }
}
