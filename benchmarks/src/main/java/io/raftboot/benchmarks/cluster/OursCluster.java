package io.raftboot.benchmarks.cluster;

import io.raftboot.benchmarks.Run;
import io.raftboot.testsupport.process.BootJarLaunch;
import io.raftboot.testsupport.process.NodeProcess;
import io.raftboot.testsupport.process.StarterArguments;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Three JVMs of {@code samples/leader-scheduler/target/leader-scheduler.jar} at default Raft settings. */
public final class OursCluster extends Cluster {

    private final BootJarLaunch launch;
    /** Appended to every node's arguments (e.g. the named roles it offers). */
    private final List<String> extraArguments;

    /**
     * @param cdsDir where the extracted jar and its class data sharing archive are kept between runs: the nodes
     *               restart faster (many restarts per run), nothing else changes
     */
    public OursCluster(int size, Path dir, String java, Path jar, Path cdsDir) {
        this(size, dir, java, jar, cdsDir, List.of());
    }

    /** @param extraArguments application arguments every node gets after its own (ports, id, peers, data dir) */
    public OursCluster(int size, Path dir, String java, Path jar, Path cdsDir, List<String> extraArguments) {
        super(size, dir);
        this.extraArguments = List.copyOf(extraArguments);
        this.launch = BootJarLaunch.withClassDataSharing(java, jar, JVM_OPTIONS, cdsDir, Duration.ofSeconds(300));
        launch.fallbackReason()
                .ifPresent(why -> Run.log("could not prepare the CDS archive (%s); the nodes run the jar as is", why));
    }

    @Override
    public String system() {
        return io.raftboot.benchmarks.Result.OURS;
    }

    @Override
    protected List<String> command(NodeProcess node) {
        List<String> args = new java.util.ArrayList<>(StarterArguments.of(node, nodes(), this::advertisedRaftPort));
        args.addAll(extraArguments);
        return launch.command(args);
    }

    @Override
    protected String statusPath() {
        return "/actuator/raft";
    }

    @Override
    public String settings() {
        return "election-timeout 300ms (random [300,600) ms), heartbeat 50ms, tick 10ms, pre-vote + check-quorum,"
                + " fsync per Ready (group commit); JVM " + String.join(" ", JVM_OPTIONS)
                + (launch.sharesClassData() ? " (jar extracted, AppCDS archive: faster restarts only)" : "");
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
