package io.raftboot.samples.scheduler.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls {@code /actuator/raft} of every node about every 10 ms, all nodes at once, and
 * {@code /jobs} about every 100 ms, for the whole test, and records every breach of:
 * <ul>
 *   <li>election safety: two nodes report LEADER for the same term (in one poll round, or ever);</li>
 *   <li>configVersion and term never decrease on a node, within a process and across its
 *       restarts (both are rebuilt from the node's data directory);</li>
 * </ul>
 * and merges the {@code runTerms} of {@code /jobs} per node ({@link JobHistory}).
 */
final class ClusterMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterMonitor.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(250);

    private final LocalCluster cluster;
    private final ExecutorService pollers;
    private final Thread thread;
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final Map<Long, String> leaderOfTerm = new TreeMap<>();
    private final Map<String, NodeStatus> last = new HashMap<>();
    private final JobHistory jobs = new JobHistory();
    private final AtomicLong rounds = new AtomicLong();
    private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    ClusterMonitor(LocalCluster cluster) {
        this.cluster = cluster;
        this.pollers = Executors.newFixedThreadPool(cluster.ids().size(), r -> {
            Thread t = new Thread(r, "monitor-poll");
            t.setDaemon(true);
            return t;
        });
        this.thread = new Thread(this::run, "cluster-monitor");
        this.thread.setDaemon(true);
    }

    ClusterMonitor start() {
        thread.start();
        return this;
    }

    private void run() {
        long round = 0;
        while (running) {
            long started = System.nanoTime();
            Map<String, NodeStatus> statuses = new ConcurrentHashMap<>();
            Map<String, JsonNode> jobAnswers = new ConcurrentHashMap<>();
            boolean pollJobs = round % 10 == 0;
            List<String> ids = cluster.serving();
            CountDownLatch done = new CountDownLatch(ids.size());
            for (String id : ids) {
                pollers.execute(() -> {
                    try {
                        cluster.status(id, POLL_TIMEOUT).ifPresent(s -> statuses.put(id, s));
                        if (pollJobs) {
                            cluster.getJson(id, "/jobs", POLL_TIMEOUT).ifPresent(j -> jobAnswers.put(id, j));
                        }
                    } finally {
                        done.countDown();
                    }
                });
            }
            try {
                done.await(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            check(statuses);
            jobAnswers.forEach(jobs::merge);
            rounds.incrementAndGet();
            round++;
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
            if (elapsedMillis < 10) {
                // Pacing of the poll loop (not a wait for a condition).
                try {
                    Thread.sleep(10 - elapsedMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private synchronized void check(Map<String, NodeStatus> round) {
        Map<Long, String> leadersNow = new HashMap<>();
        for (NodeStatus s : round.values()) {
            answers.computeIfAbsent(s.nodeId(), k -> new AtomicLong()).incrementAndGet();
            if (s.isLeader()) {
                String other = leadersNow.putIfAbsent(s.term(), s.nodeId());
                if (other != null && !other.equals(s.nodeId())) {
                    violation(
                            "two nodes report LEADER for term " + s.term() + " at the same instant: " + round.values());
                }
                String earlier = leaderOfTerm.putIfAbsent(s.term(), s.nodeId());
                if (earlier != null && !earlier.equals(s.nodeId())) {
                    violation("term " + s.term() + " had two leaders: " + earlier + " and then " + s);
                }
            }
            NodeStatus previous = last.put(s.nodeId(), s);
            if (previous != null && s.receivedNanos() >= previous.receivedNanos()) {
                String where = previous.incarnation() == s.incarnation() ? "" : " (across a restart)";
                if (s.configVersion() < previous.configVersion()) {
                    violation("configVersion went back on " + s.nodeId() + where + ": " + previous + " then " + s);
                }
                if (s.term() < previous.term()) {
                    violation("term went back on " + s.nodeId() + where + ": " + previous + " then " + s);
                }
            }
        }
    }

    private void violation(String message) {
        LOG.error("VIOLATION: {}", message);
        violations.add(message);
    }

    List<String> violations() {
        synchronized (violations) {
            return List.copyOf(violations);
        }
    }

    /** The leader each term had, as far as the polls saw. */
    synchronized Map<Long, String> leaderOfTerm() {
        return new TreeMap<>(leaderOfTerm);
    }

    JobHistory jobs() {
        return jobs;
    }

    /** Merges one last {@code /jobs} answer of these nodes (call before checking the history). */
    void collectJobs(List<String> ids) {
        for (String id : ids) {
            cluster.getJson(id, "/jobs", Duration.ofSeconds(2)).ifPresent(j -> jobs.merge(id, j));
        }
    }

    long rounds() {
        return rounds.get();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pollers.shutdownNow();
        LOG.info(
                "Monitor: {} poll rounds, answers per node {}, {} terms with a leader seen, {} violations",
                rounds.get(),
                answers,
                leaderOfTerm().size(),
                violations().size());
    }
}
