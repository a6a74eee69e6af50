package io.raftboot.samples.scheduler.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client that writes config keys one after another, each through a node picked at random
 * (dead and frozen ones included: those writes fail), and remembers the writes answered with 200.
 * Every key is written once, so an acknowledged key must end up with exactly its value on
 * every node, whatever became of the failed writes.
 */
final class ConfigWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigWriter.class);
    static final String PREFIX = "w-";
    private static final Duration TIMEOUT = Duration.ofSeconds(8);
    /** A write at most every 40 ms: enough to cover every fault, not so many that they slow the nodes. */
    private static final long PERIOD_MILLIS = 40;

    private final LocalCluster cluster;
    private final Thread thread;
    private final Map<String, String> acknowledged = new ConcurrentSkipListMap<>();
    private final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
    private final List<String> violations = new ArrayList<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong appliedMoreThanOnce = new AtomicLong();
    private volatile boolean running = true;

    ConfigWriter(LocalCluster cluster) {
        this.cluster = cluster;
        this.thread = new Thread(this::run, "config-writer");
        this.thread.setDaemon(true);
    }

    ConfigWriter start() {
        thread.start();
        return this;
    }

    private void run() {
        while (running) {
            List<String> ids = cluster.ids(); // nodes added meanwhile get writes too
            long started = System.nanoTime();
            long n = sequence.incrementAndGet();
            String key = String.format("%s%06d", PREFIX, n);
            String node = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
            String value = "value " + n + " via " + node + " "
                    + Long.toHexString(ThreadLocalRandom.current().nextLong());
            String outcome;
            try {
                HttpResponse<String> response = cluster.put(node, "/config/" + key, value, TIMEOUT);
                outcome = Integer.toString(response.statusCode());
                if (response.statusCode() == 200) {
                    JsonNode body = LocalCluster.JSON.readTree(response.body());
                    if (!value.equals(body.path("value").asText())
                            || !key.equals(body.path("key").asText())
                            || body.path("version").asLong() < 1
                            || body.path("configVersion").asLong() < 1) {
                        violation("PUT " + key + " via " + node + " answered 200 with " + response.body());
                    }
                    acknowledged.put(key, value);
                    if (body.path("version").asLong() > 1) {
                        // Written once by this client, applied more than once: the starter retried the put.
                        LOG.warn(
                                "PUT {} via {} was applied {} times: {}",
                                key,
                                node,
                                body.path("version").asLong(),
                                response.body());
                        appliedMoreThanOnce.incrementAndGet();
                    }
                } else if (response.statusCode() != 503) {
                    violation("PUT " + key + " via " + node + " answered " + response.statusCode() + ": "
                            + response.body());
                }
            } catch (java.io.IOException e) {
                outcome = e.getClass().getSimpleName();
            } catch (InterruptedException e) {
                return;
            }
            outcomes.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
            if (elapsedMillis < PERIOD_MILLIS) {
                // Pacing of the client (not a wait for a condition).
                try {
                    Thread.sleep(PERIOD_MILLIS - elapsedMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private synchronized void violation(String message) {
        LOG.error("VIOLATION: {}", message);
        violations.add(message);
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    /** The acknowledged writes so far, key -> value. */
    Map<String, String> acknowledged() {
        return new TreeMap<>(acknowledged);
    }

    /** How many writes ended how: HTTP status or exception name. */
    Map<String, Long> outcomes() {
        Map<String, Long> m = new TreeMap<>();
        outcomes.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    /** Stops after the write in flight. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TIMEOUT.toMillis() + 2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
        }
        LOG.info(
                "Writer: {} writes, outcomes {}, {} acknowledged writes applied more than once",
                sequence.get(),
                outcomes(),
                appliedMoreThanOnce.get());
    }
}
