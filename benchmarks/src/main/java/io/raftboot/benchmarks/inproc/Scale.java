package io.raftboot.benchmarks.inproc;

import io.raftboot.benchmarks.Result;
import io.raftboot.benchmarks.Run;
import io.raftboot.core.loop.RaftLoop;
import io.raftboot.core.loop.Transport;
import io.raftboot.core.message.AppendEntries;
import io.raftboot.core.message.AppendResponse;
import io.raftboot.core.message.Message;
import io.raftboot.core.node.Membership;
import io.raftboot.core.node.ProtocolSettings;
import io.raftboot.core.node.Role;
import io.raftboot.core.storage.MemoryStorage;
import io.raftboot.core.store.ConfigCommand;
import io.raftboot.core.store.ConfigCommandCodec;
import io.raftboot.core.store.ConfigStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Scenario 7: 4 voters + 50 learners of raft-core RaftLoops in one JVM over an in-memory transport. */
public final class Scale {

    public static final String SCENARIO = "7-scale";
    private static final int VOTERS = 4;
    private static final int LEARNERS = 50;
    private static final int KEYS = 10_000;

    private final Run run;
    private final Map<String, RaftLoop> loops = new ConcurrentHashMap<>();
    private final Map<String, ConfigStore> stores = new ConcurrentHashMap<>();
    private volatile String leader;
    private volatile int followers;
    private final Map<Long, long[]> rounds = new ConcurrentHashMap<>(); // readSeq -> [first send, last answer, answers]

    public Scale(Run run) {
        this.run = run;
    }

    private final class InMemory implements Transport {
        @Override
        public void send(Message m) {
            long now = System.nanoTime();
            String l = leader;
            if (l != null
                    && m instanceof AppendEntries ae
                    && ae.from().equals(l)
                    && ae.entries().isEmpty()) {
                rounds.computeIfAbsent(ae.readSeq(), k -> new long[] {now, 0, 0});
            } else if (l != null && m instanceof AppendResponse ar && ar.to().equals(l)) {
                long[] r = rounds.get(ar.readSeq());
                if (r != null) {
                    synchronized (r) {
                        r[1] = Math.max(r[1], now);
                        r[2]++;
                    }
                }
            }
            RaftLoop target = loops.get(m.to());
            if (target != null) {
                target.receive(m);
            }
        }
    }

    public void measure(boolean quick) throws Exception {
        int late = quick ? 1 : 3;
        Set<String> voters = new LinkedHashSet<>();
        Set<String> learners = new LinkedHashSet<>();
        for (int i = 1; i <= VOTERS; i++) {
            voters.add("v" + i);
        }
        for (int i = 1; i <= LEARNERS; i++) {
            learners.add(String.format("l%02d", i));
        }
        for (int i = 1; i <= late; i++) {
            learners.add("late" + i);
        }
        ProtocolSettings config =
                ProtocolSettings.of(new Membership(voters, learners)).withTicks(30, 5);
        InMemory transport = new InMemory();
        Random seeds = new Random(42);
        Map<String, RaftLoop> created = new LinkedHashMap<>();
        for (String id : config.membership().all()) {
            ConfigStore store = new ConfigStore();
            stores.put(id, store);
            created.put(
                    id,
                    new RaftLoop(
                            id,
                            config,
                            Duration.ofMillis(10),
                            new MemoryStorage(),
                            store,
                            transport,
                            new Random(seeds.nextLong()),
                            5_000));
        }
        try {
            for (Map.Entry<String, RaftLoop> e : created.entrySet()) {
                if (!e.getKey().startsWith("late")) {
                    loops.put(e.getKey(), e.getValue());
                    e.getValue().start();
                }
            }
            leader = awaitLeader();
            followers = VOTERS + LEARNERS - 1;
            RaftLoop lead = loops.get(leader);
            Thread.sleep(2000);

            // idle: leader CPU and heartbeat fan-out
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            Map<String, Long> threadIds = new LinkedHashMap<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith("raft-loop-")) {
                    threadIds.put(t.getName().substring("raft-loop-".length()), t.getId());
                }
            }
            rounds.clear();
            long leaderCpu0 = mx.getThreadCpuTime(threadIds.get(leader));
            long allCpu0 =
                    threadIds.values().stream().mapToLong(mx::getThreadCpuTime).sum();
            long t0 = System.nanoTime();
            Thread.sleep(quick ? 3_000 : 30_000);
            long wall = System.nanoTime() - t0;
            double leaderPct = 100.0 * (mx.getThreadCpuTime(threadIds.get(leader)) - leaderCpu0) / wall;
            double allPct = 100.0
                    * (threadIds.values().stream()
                                    .mapToLong(mx::getThreadCpuTime)
                                    .sum()
                            - allCpu0)
                    / wall;
            List<Double> fanout = new ArrayList<>();
            int incomplete = 0;
            for (long[] r : rounds.values()) {
                synchronized (r) {
                    if (r[2] >= followers) {
                        fanout.add((r[1] - r[0]) / 1e6);
                    } else {
                        incomplete++;
                    }
                }
            }
            String s = "raft-core RaftLoop x " + (VOTERS + LEARNERS) + " in one JVM (4 voters, 50 learners), tick 10ms,"
                    + " election 30 ticks, heartbeat 5 ticks, MemoryStorage, in-memory transport; idle "
                    + (quick ? 3 : 30) + " s";
            run.add(Result.single(
                    SCENARIO, Result.OURS, "leader loop thread CPU, idle", leaderPct, "% of one core", s, ""));
            run.add(Result.single(
                    SCENARIO, Result.OURS, "all 54 loop threads CPU, idle", allPct, "% of one core", s, ""));
            run.add(Result.of(
                    SCENARIO,
                    Result.OURS,
                    "heartbeat fan-out: first AppendEntries -> last of 53 answers",
                    fanout,
                    "ms",
                    s,
                    ""));
            if (incomplete > 0) {
                run.note(
                        SCENARIO,
                        incomplete + " heartbeat rounds without all 53 answers (in flight at the end, or"
                                + " superseded by a newer round) were left out of the fan-out figure");
            }

            // 10,000 keys, then compaction into a snapshot. Batches of 64 in flight; a batch that fails
            // because the leader changed (CPU starvation of 54 loop threads on 2 cores) is written again
            // through the new leader (puts are idempotent).
            long w0 = System.nanoTime();
            byte[] value = "value-0123456789-0123456789-0123".getBytes(StandardCharsets.UTF_8);
            long term0 = lead.status().term();
            int retries = 0;
            for (int from = 0; from < KEYS; ) {
                int to = Math.min(KEYS, from + 64);
                List<CompletableFuture<Object>> batch = new ArrayList<>();
                for (int i = from; i < to; i++) {
                    batch.add(lead.propose(
                            ConfigCommandCodec.encode(new ConfigCommand.Put(String.format("key-%05d", i), value))));
                }
                try {
                    for (CompletableFuture<Object> f : batch) {
                        f.get(60, TimeUnit.SECONDS);
                    }
                    from = to;
                } catch (java.util.concurrent.ExecutionException e) {
                    if (++retries > 100) {
                        throw e;
                    }
                    leader = awaitLeader();
                    lead = loops.get(leader);
                }
            }
            double writeSeconds = (System.nanoTime() - w0) / 1e9;
            run.note(
                    SCENARIO,
                    String.format(
                            "writing the 10,000 keys (64 in flight) took %.1f s, i.e. %.0f commits/s"
                                    + " replicated to 53 nodes; %d leader changes meanwhile (term %d -> %d)",
                            writeSeconds,
                            KEYS / writeSeconds,
                            retries,
                            term0,
                            lead.status().term()));
            Thread.sleep(1000);

            List<Double> catchUp = new ArrayList<>();
            for (int i = 1; i <= late; i++) {
                String id = "late" + i;
                long target = lead.status().commitIndex();
                RaftLoop l = created.get(id);
                loops.put(id, l);
                long c0 = System.nanoTime();
                l.start();
                long end = c0 + Duration.ofSeconds(60).toNanos();
                while (l.status().lastApplied() < target) {
                    if (System.nanoTime() - end > 0) {
                        throw new IllegalStateException(id + " did not catch up within 60 s: " + l.status());
                    }
                    Thread.sleep(0, 500_000);
                }
                catchUp.add((System.nanoTime() - c0) / 1e6);
                if (stores.get(id).size() < KEYS) {
                    throw new IllegalStateException(
                            id + " caught up with " + stores.get(id).size() + " keys only");
                }
            }
            run.add(Result.of(
                    SCENARIO,
                    Result.OURS,
                    "new learner catch-up from a 10,000-key snapshot (start -> applied" + " the leader's commit index)",
                    catchUp,
                    "ms",
                    s.replace("; idle " + (quick ? 3 : 30) + " s", "") + "; snapshot threshold 5,000 entries",
                    ""));
        } finally {
            for (RaftLoop l : created.values()) {
                l.close();
            }
        }
    }

    private String awaitLeader() throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() - end < 0) {
            for (RaftLoop l : loops.values()) {
                if (l.status().role() == Role.LEADER && l.holdsLease()) {
                    String id = l.nodeId();
                    AtomicInteger agreeing = new AtomicInteger();
                    loops.values().forEach(o -> {
                        if (id.equals(o.status().leaderId())) {
                            agreeing.incrementAndGet();
                        }
                    });
                    if (agreeing.get() == loops.size()) {
                        return id;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no leader among the in-process loops within 60 s");
    }
}
