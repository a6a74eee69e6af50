package io.raftboot.benchmarks.inproc;

import io.raftboot.benchmarks.Result;
import io.raftboot.benchmarks.Run;
import io.raftboot.benchmarks.ratis.KvStateMachine;
import io.raftboot.benchmarks.ratis.RatisNodeMain;
import io.raftboot.benchmarks.ratis.RatisSettings;
import io.raftboot.spring.config.ReplicatedConfig;
import io.raftboot.spring.leadership.LeadershipService;
import io.raftboot.testsupport.process.FreePorts;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.server.RaftServer;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Scenario 4 in one JVM (one clock for every timestamp): three Spring contexts with the starter,
 * then three Ratis servers, each node's state machine stamping when a key is applied there.
 */
public final class Propagation {

    public static final String SCENARIO = "4-config-propagation";
    static final String APPLIED_ALL = "committed on the leader -> applied on every follower";
    static final String LEADER_WRITE = "write through the leader until acknowledged";
    static final String FOLLOWER_WRITE = "write submitted on a follower until it returns";

    private final Run run;
    private final Path dir;
    /** key -> apply instant per node index. */
    private final Map<String, long[]> applied = new ConcurrentHashMap<>();

    public Propagation(Run run, Path dir) {
        this.run = run;
        this.dir = dir;
    }

    public void measure(int writes) throws Exception {
        ours(writes);
        applied.clear();
        ratis(writes);
    }

    private void record(String key, int node) {
        long now = System.nanoTime();
        applied.computeIfAbsent(key, k -> new long[3])[node] = now;
    }

    private void ours(int writes) throws Exception {
        List<Integer> ports = List.of(FreePorts.any(), FreePorts.any(), FreePorts.any());
        List<ConfigurableApplicationContext> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                List<String> props = new ArrayList<>(List.of(
                        "raft.node-id=n" + (i + 1),
                        "raft.cluster-id=bench",
                        "raft.data-dir=" + dir.resolve("ours/n" + (i + 1)),
                        "raft.server.address=127.0.0.1",
                        "spring.main.banner-mode=off",
                        "logging.level.root=WARN",
                        "spring.application.name=n" + (i + 1)));
                for (int p = 0; p < 3; p++) {
                    props.add("raft.peers.n" + (p + 1) + "=127.0.0.1:" + ports.get(p));
                }
                nodes.add(new SpringApplicationBuilder(NodeApp.class)
                        .web(WebApplicationType.NONE)
                        .properties(props.toArray(String[]::new))
                        .run());
            }
            List<ReplicatedConfig> configs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int node = i;
                ReplicatedConfig c = nodes.get(i).getBean(ReplicatedConfig.class);
                c.watchPrefix("p-", change -> record(change.key(), node));
                configs.add(c);
            }
            int leader = awaitLeader(nodes);
            int follower = (leader + 1) % 3;
            for (int i = 0; i < 50; i++) { // warm-up
                configs.get(i % 3).put("warm-" + i, "v").get(5, TimeUnit.SECONDS);
            }
            List<Double> propagation = new ArrayList<>();
            List<Double> leaderWrites = new ArrayList<>();
            List<Double> followerWrites = new ArrayList<>();
            Tail propagationTail = new Tail();
            Tail followerTail = new Tail();
            Segments followerSteps = new Segments();
            Segments leaderSteps = new Segments();
            for (int i = 0; i < writes; i++) {
                boolean viaFollower = i % 2 == 1;
                String key = "p-" + i;
                long gc0 = Tail.collections();
                long wait0 = RunQueueWait.totalNanos();
                long t0 = System.nanoTime();
                configs.get(viaFollower ? follower : leader)
                        .put(key, "value-" + i)
                        .get(5, TimeUnit.SECONDS);
                long returned = System.nanoTime();
                long[] at = awaitApplied(key);
                // Read once every node applied, not when the write returned: the reading (a file per
                // thread) would otherwise take a core while the followers still apply.
                long waitApplied = RunQueueWait.totalNanos();
                double ms = (returned - t0) / 1e6;
                (viaFollower ? followerWrites : leaderWrites).add(ms);
                if (viaFollower) {
                    followerTail.add(i, ms, Tail.collections() != gc0, waitedMs(wait0, waitApplied));
                }
                int submittedTo = viaFollower ? follower : leader;
                Segments steps = viaFollower ? followerSteps : leaderSteps;
                steps.add("submitted -> applied on the leader", (at[leader] - t0) / 1e6);
                if (viaFollower) {
                    steps.add("-> applied on this follower", (at[follower] - at[leader]) / 1e6);
                }
                steps.add("-> the write returned", (returned - at[submittedTo]) / 1e6);
                long last = Math.max(at[(leader + 1) % 3], at[(leader + 2) % 3]);
                propagation.add((last - at[leader]) / 1e6);
                propagationTail.add(
                        i, (last - at[leader]) / 1e6, Tail.collections() != gc0, waitedMs(wait0, waitApplied));
                Thread.sleep(ThreadLocalRandom.current().nextInt(5, 26));
            }
            run.note(SCENARIO, Result.OURS + ", " + propagationTail.describe(APPLIED_ALL, writes));
            run.note(SCENARIO, Result.OURS + ", " + followerTail.describe(FOLLOWER_WRITE, writes));
            run.note(SCENARIO, Result.OURS + ", " + followerSteps.describe(FOLLOWER_WRITE));
            run.note(SCENARIO, Result.OURS + ", " + leaderSteps.describe(LEADER_WRITE));
            String s = "3 Spring contexts in one JVM (starter, gRPC over loopback, FileStorage with fsync), defaults"
                    + " (election 300ms, heartbeat 50ms); " + writes + " sequential writes alternating leader/follower,"
                    + " 5-25 ms apart";
            run.add(Result.of(SCENARIO, Result.OURS, APPLIED_ALL, propagation, "ms", s, "p99 <= 5 ms"));
            run.add(Result.of(SCENARIO, Result.OURS, LEADER_WRITE, leaderWrites, "ms", s, ""));
            run.add(Result.of(SCENARIO, Result.OURS, FOLLOWER_WRITE, followerWrites, "ms", s, "p99 <= 10 ms"));
        } finally {
            for (ConfigurableApplicationContext c : nodes) {
                try {
                    c.close();
                } catch (RuntimeException e) {
                    Run.log("closing a context failed: %s", e);
                }
            }
        }
    }

    private int awaitLeader(List<ConfigurableApplicationContext> nodes) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() - end < 0) {
            for (int i = 0; i < nodes.size(); i++) {
                LeadershipService l = nodes.get(i).getBean(LeadershipService.class);
                if (l.isLeader()) {
                    String id = l.nodeId();
                    boolean all = nodes.stream()
                            .allMatch(n -> n.getBean(LeadershipService.class)
                                    .leaderId()
                                    .filter(id::equals)
                                    .isPresent());
                    if (all) {
                        return i;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no leader agreed by the 3 in-process nodes within 60 s");
    }

    /** The JVM's threads' wait for a CPU between two readings, -1 where unknown. */
    private static double waitedMs(long before, long after) {
        return before < 0 || after < 0 ? -1 : Math.max(0, after - before) / 1e6;
    }

    private long[] awaitApplied(String key) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() - end < 0) {
            long[] at = applied.get(key);
            if (at != null && at[0] != 0 && at[1] != 0 && at[2] != 0) {
                return at;
            }
            Thread.sleep(0, 200_000);
        }
        throw new IllegalStateException("key " + key + " not applied on every node within 5 s: " + applied.get(key));
    }

    private void ratis(int writes) throws Exception {
        List<Integer> ports = List.of(FreePorts.any(), FreePorts.any(), FreePorts.any());
        Map<String, String> peers = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            peers.put("n" + (i + 1), "127.0.0.1:" + ports.get(i));
        }
        RaftGroup group = RatisNodeMain.group(String.join(
                ",",
                peers.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .toList()));
        List<RaftServer> servers = new ArrayList<>();
        try (RaftClient client = RatisNodeMain.newClient(group)) {
            for (int i = 0; i < 3; i++) {
                int node = i;
                RaftPeer self = group.getPeers().stream()
                        .filter(p -> p.getId().toString().equals("n" + (node + 1)))
                        .findFirst()
                        .orElseThrow();
                KvStateMachine sm = new KvStateMachine((key, at) -> {
                    if (key.startsWith("p-")) {
                        record(key, node);
                    }
                });
                RaftServer server = RatisNodeMain.newServer(
                        self, group, dir.resolve("ratis/n" + (i + 1)).toFile(), sm);
                server.start();
                servers.add(server);
            }
            for (int i = 0; i < 50; i++) {
                client.io().send(KvStateMachine.put("warm-" + i, "v"));
            }
            List<Double> propagation = new ArrayList<>();
            List<Double> latency = new ArrayList<>();
            Tail propagationTail = new Tail();
            for (int i = 0; i < writes; i++) {
                int leader = -1;
                for (int s = 0; s < 3; s++) {
                    if (servers.get(s)
                            .getDivision(RatisNodeMain.GROUP_ID)
                            .getInfo()
                            .isLeader()) {
                        leader = s;
                    }
                }
                String key = "p-" + i;
                long gc0 = Tail.collections();
                long wait0 = RunQueueWait.totalNanos();
                long t0 = System.nanoTime();
                client.io().send(KvStateMachine.put(key, "value-" + i));
                latency.add((System.nanoTime() - t0) / 1e6);
                long[] at = awaitApplied(key);
                long waitApplied = RunQueueWait.totalNanos();
                if (leader >= 0) {
                    long last = Math.max(at[(leader + 1) % 3], at[(leader + 2) % 3]);
                    propagation.add((last - at[leader]) / 1e6);
                    propagationTail.add(
                            i, (last - at[leader]) / 1e6, Tail.collections() != gc0, waitedMs(wait0, waitApplied));
                }
                Thread.sleep(ThreadLocalRandom.current().nextInt(5, 26));
            }
            run.note(SCENARIO, Result.RATIS + ", " + propagationTail.describe(APPLIED_ALL, writes));
            String s = "3 RaftServers in one JVM, " + RatisSettings.describe() + "; " + writes
                    + " sequential client writes, 5-25 ms apart";
            run.add(Result.of(SCENARIO, Result.RATIS, APPLIED_ALL, propagation, "ms", s, "p99 <= 5 ms"));
            run.add(Result.of(SCENARIO, Result.RATIS, LEADER_WRITE, latency, "ms", s, ""));
        } finally {
            for (RaftServer s : servers) {
                try {
                    s.close();
                } catch (IOException e) {
                    Run.log("closing a Ratis server failed: %s", e);
                }
            }
        }
    }
}
