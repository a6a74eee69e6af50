package io.raftboot.benchmarks.scenario;

import io.raftboot.benchmarks.Result;
import io.raftboot.benchmarks.Run;
import io.raftboot.benchmarks.cluster.Cluster;
import io.raftboot.benchmarks.cluster.Status;
import io.raftboot.testsupport.network.DelayProxy;
import io.raftboot.testsupport.process.NodeProcess;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Scenario 10: a slow network. After the start, 200 writes at zero delay warm the JITs up. Each node's Raft port sits behind a {@link DelayProxy} that delays
 * every byte by the one-way delay in both directions, and every node reaches the others (and its
 * embedded Ratis client the servers) only through those proxies, so every link has a round trip
 * of twice the delay; HTTP between the benchmark and the nodes is not delayed. Per delay: all
 * proxies back at zero until the nodes agree on a leader (ours: and one node holds the lease), then
 * the delay is set and for a window
 * one client writes one key after another through a random node (8 s HTTP timeout, 50 ms between
 * starts), while every 100 ms each node's status is read. Measured: write latency of the
 * acknowledged writes, acknowledged / attempted, and the share of polls in which exactly one node
 * reported itself LEADER (both systems) and, ours only, exactly one node reported a valid lease
 * ({@code leaseValidForMillis > 0} in {@code /actuator/raft}; Ratis publishes none).
 */
public final class SlowNetwork {

    public static final String SCENARIO = "10-slow-network";
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(8);

    private final Run run;

    public SlowNetwork(Run run) {
        this.run = run;
    }

    /**
     * Starts a cluster made by {@code factory} behind one proxy per node, measures each delay and
     * stops it.
     */
    public void measure(Function<Integer, Cluster> factory, int[] oneWayMillis, Duration window) throws Exception {
        Cluster cluster = factory.apply(3);
        Map<String, DelayProxy> proxies = new LinkedHashMap<>();
        try {
            for (NodeProcess node : cluster.nodes()) {
                proxies.put(node.id(), new DelayProxy(0, node.raftPort(), Duration.ZERO));
            }
            cluster.advertise(n -> proxies.get(n.id()).port());
            cluster.startAll();
            cluster.awaitAgreedLeader(cluster.ids(), Duration.ofSeconds(600));
            warmUp(cluster);
            for (int delay : oneWayMillis) {
                measure(cluster, proxies, Duration.ofMillis(delay), window);
            }
        } finally {
            cluster.close();
            proxies.values().forEach(DelayProxy::close);
        }
    }

    private void measure(Cluster cluster, Map<String, DelayProxy> proxies, Duration oneWay, Duration window) {
        proxies.values().forEach(p -> p.setDelay(Duration.ZERO));
        cluster.awaitAgreedLeader(cluster.ids(), Duration.ofSeconds(60));
        if (cluster.reportsLease()) {
            // A new leader's lease starts only after the old one surely ended: do not count that wait.
            cluster.await(
                    "one lease",
                    Duration.ofSeconds(60),
                    () -> leases(cluster) == 1 ? Optional.of(true) : Optional.empty());
        }
        proxies.values().forEach(p -> p.setDelay(oneWay));
        long end = System.nanoTime() + window.toNanos();
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger attempted = new AtomicInteger();
        AtomicBoolean writing = new AtomicBoolean(true);
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        Thread writer = new Thread(
                () -> write(cluster, oneWay, end, writing, attempted, latencies, failures),
                "slow-writer-" + oneWay.toMillis());
        writer.setDaemon(true);
        writer.start();
        int polls = 0;
        int oneLeader = 0;
        int oneLease = 0;
        while (System.nanoTime() - end < 0) {
            long started = System.nanoTime();
            int leaders = 0;
            int leases = 0;
            for (String id : cluster.ids()) {
                Status s = cluster.status(id, Duration.ofMillis(500));
                if (s.ok() && "LEADER".equals(s.role())) {
                    leaders++;
                }
                if (s.ok() && s.leaseMillis() > 0) {
                    leases++;
                }
            }
            polls++;
            oneLeader += leaders == 1 ? 1 : 0;
            oneLease += leases == 1 ? 1 : 0;
            long left = 100 - (System.nanoTime() - started) / 1_000_000;
            if (left > 0) {
                Cluster.sleep(left);
            }
        }
        writing.set(false);
        try {
            writer.join(WRITE_TIMEOUT.toMillis() + 2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String system = cluster.system();
        String at = "one-way " + oneWay.toMillis() + " ms";
        run.add(Result.of(
                SCENARIO, system, "write latency, " + at, List.copyOf(latencies), "ms", cluster.settings(), ""));
        int ok = latencies.size();
        int tried = attempted.get();
        run.add(Result.single(
                SCENARIO,
                system,
                "writes acknowledged, " + at,
                tried == 0 ? Double.NaN : 100.0 * ok / tried,
                "% of " + tried,
                cluster.settings(),
                ""));
        run.add(Result.single(
                SCENARIO,
                system,
                "one leader, " + at,
                polls == 0 ? Double.NaN : 100.0 * oneLeader / polls,
                "% of " + polls + " polls",
                cluster.settings(),
                ""));
        if (cluster.reportsLease()) {
            run.add(Result.single(
                    SCENARIO,
                    system,
                    "one lease, " + at,
                    polls == 0 ? Double.NaN : 100.0 * oneLease / polls,
                    "% of " + polls + " polls",
                    cluster.settings(),
                    ""));
        }
        Run.log(
                "%s %s: %d/%d writes, one leader in %d/%d polls, one lease in %d; failures %s",
                system,
                at,
                ok,
                tried,
                oneLeader,
                polls,
                oneLease,
                failures.stream().limit(3).toList());
    }

    /**
     * 200 writes through random nodes at zero delay before the first window, so that the JIT's
     * warm-up (right after the start, on 2 cores) is not measured as a slow network.
     */
    private static void warmUp(Cluster cluster) throws InterruptedException {
        List<String> ids = cluster.ids();
        for (int n = 0; n < 200; n++) {
            try {
                cluster.put(ids.get(n % ids.size()), "warm-up-" + n, "v" + n, WRITE_TIMEOUT);
            } catch (IOException e) {
                // a warm-up write that fails changes nothing
            }
        }
    }

    private static int leases(Cluster cluster) {
        int leases = 0;
        for (String id : cluster.ids()) {
            Status s = cluster.status(id, Duration.ofMillis(500));
            leases += s.ok() && s.leaseMillis() > 0 ? 1 : 0;
        }
        return leases;
    }

    private static void write(
            Cluster cluster,
            Duration oneWay,
            long end,
            AtomicBoolean writing,
            AtomicInteger attempted,
            List<Double> latencies,
            List<String> failures) {
        List<String> ids = cluster.ids();
        for (int n = 1; writing.get() && System.nanoTime() - end < 0; n++) {
            String node = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
            long started = System.nanoTime();
            attempted.incrementAndGet();
            try {
                HttpResponse<String> r =
                        cluster.put(node, "slow-" + oneWay.toMillis() + "-" + n, "v" + n, WRITE_TIMEOUT);
                double millis = (System.nanoTime() - started) / 1e6;
                if (r.statusCode() == 200) {
                    latencies.add(millis);
                } else {
                    failures.add(node + ": " + r.statusCode() + " after " + Math.round(millis) + " ms");
                }
            } catch (IOException e) {
                failures.add(node + ": " + e);
            } catch (InterruptedException e) {
                return;
            }
            long left = 50 - (System.nanoTime() - started) / 1_000_000;
            if (left > 0) {
                Cluster.sleep(left);
            }
        }
    }
}
