package io.raftboot.samples.scheduler.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.raftboot.testsupport.history.Operation;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several clients that write the <em>same</em> few keys with put, delete and compare-and-set,
 * each operation through a node picked at random, and read them back (linearizable reads through
 * the leader, and local reads), recording every operation for the linearizability checker
 * ({@link io.raftboot.testsupport.history.LinearizabilityChecker}).
 *
 * <p>Each operation's invocation and completion are {@code System.nanoTime()} right before the
 * request is sent and right after the answer arrived. Outcomes:
 * <ul>
 *   <li>an answer of the store (200; 404 of a read or a delete; 409 of a compare-and-set): known,
 *       with the answer's version and value;</li>
 *   <li>an error answer with {@code "outcomeUnknown": true}, or a 5xx without that field, or no
 *       answer after the request may have been sent (timeout, reset): UNKNOWN for a write; a read
 *       without an answer changes nothing and is left out;</li>
 *   <li>an answer that says the write surely did not happen ({@code "outcomeUnknown": false}), or
 *       no connection at all (refused: the node is down): not recorded.</li>
 * </ul>
 * The keys change every {@link #KEY_EPOCH}: all clients move to the next few keys together, which
 * keeps each key's history short enough for an exhaustive search while the clients still contend.
 * Local reads are not linearizable by design (a follower may lag); they are only checked for
 * values that no client ever sent.
 */
final class HistoryClients implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryClients.class);
    static final String PREFIX = "h-";
    private static final int KEYS = 3;
    private static final Duration KEY_EPOCH = Duration.ofSeconds(15);
    private static final Duration TIMEOUT = Duration.ofSeconds(8);
    /** An operation at most every 50 ms per client. */
    private static final long PERIOD_MILLIS = 50;

    private final LocalCluster cluster;
    private final List<Thread> threads = new ArrayList<>();
    private final List<Operation> history = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> sentValues = ConcurrentHashMap.newKeySet();
    private final List<String> phantoms = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofMillis(500))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private final long startNanos = System.nanoTime();
    private volatile boolean running = true;

    HistoryClients(LocalCluster cluster, int clients) {
        this.cluster = cluster;
        for (int c = 1; c <= clients; c++) {
            String name = "c" + c;
            Thread t = new Thread(() -> run(name), "history-client-" + name);
            t.setDaemon(true);
            threads.add(t);
        }
    }

    HistoryClients start() {
        threads.forEach(Thread::start);
        return this;
    }

    private void run(String client) {
        List<String> ids = cluster.ids();
        Map<String, Long> lastVersion = new ConcurrentHashMap<>();
        long n = 0;
        while (running) {
            long started = System.nanoTime();
            ThreadLocalRandom random = ThreadLocalRandom.current();
            long epoch = (started - startNanos) / KEY_EPOCH.toNanos();
            String key = PREFIX + "e" + epoch + "-k" + random.nextInt(KEYS);
            String node = ids.get(random.nextInt(ids.size()));
            // Unique over the run: the checker tells the writes apart by their values.
            String value = client + "-" + (++n);
            int dice = random.nextInt(100);
            {
                if (dice < 25) {
                    put(client + "@" + node, node, key, value, null, lastVersion);
                } else if (dice < 45) {
                    // Mostly the version this client saw last (a contended CAS), sometimes "create if absent".
                    long expected = random.nextInt(4) == 0 ? 0 : lastVersion.getOrDefault(key, 0L);
                    put(client + "@" + node, node, key, value, expected, lastVersion);
                } else if (dice < 55) {
                    delete(client + "@" + node, node, key);
                } else if (dice < 85) {
                    read(client + "@" + node, node, key, true, lastVersion);
                } else {
                    read(client + "@" + node, node, key, false, lastVersion);
                }
            }
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
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

    /** A put, or with {@code expected} a compare-and-set. */
    private void put(
            String client, String node, String key, String value, Long expected, Map<String, Long> lastVersion) {
        String kind = expected == null ? "put" : "cas";
        String path = "/config/" + key + (expected == null ? "" : "?expectedVersion=" + expected);
        sentValues.add(value);
        int id = ids.incrementAndGet();
        HttpRequest request = request(node, path)
                .header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString(value))
                .build();
        long invoked = System.nanoTime();
        Answer a = send(request);
        long completed = System.nanoTime();
        Operation unknown = expected == null
                ? Operation.unknownPut(id, client, key, value, invoked)
                : Operation.unknownCas(id, client, key, expected, value, invoked);
        if (a.status == 200) {
            long version = a.body.path("version").asLong();
            lastVersion.put(key, version);
            record(
                    kind + " 200",
                    expected == null
                            ? Operation.put(id, client, key, value, invoked, completed, version)
                            : Operation.cas(id, client, key, expected, value, invoked, completed, true, version));
        } else if (a.status == 409 && expected != null) {
            long version = a.body.path("version").asLong();
            lastVersion.put(key, version);
            record(kind + " 409", Operation.cas(id, client, key, expected, value, invoked, completed, false, version));
        } else {
            writeFailed(kind, a, unknown);
        }
    }

    private void delete(String client, String node, String key) {
        int id = ids.incrementAndGet();
        HttpRequest request = request(node, "/config/" + key).DELETE().build();
        long invoked = System.nanoTime();
        Answer a = send(request);
        long completed = System.nanoTime();
        if (a.status == 200 || (a.status == 404 && a.body != null && a.body.has("configVersion"))) {
            record("delete " + a.status, Operation.delete(id, client, key, invoked, completed, a.status == 200));
        } else {
            writeFailed("delete", a, Operation.unknownDelete(id, client, key, invoked));
        }
    }

    private void read(String client, String node, String key, boolean linearizable, Map<String, Long> lastVersion) {
        int id = ids.incrementAndGet();
        HttpRequest request = request(node, "/config/" + key + (linearizable ? "?consistency=linearizable" : ""))
                .GET()
                .build();
        long invoked = System.nanoTime();
        Answer a = send(request);
        long completed = System.nanoTime();
        String kind = linearizable ? "read" : "local read";
        if (a.status == 200 || a.status == 404) {
            String value = a.status == 200 ? a.body.path("value").asText() : null;
            long version = a.status == 200 ? a.body.path("version").asLong() : 0;
            lastVersion.put(key, version);
            if (value != null && !sentValues.contains(value)) {
                phantoms.add(kind + " of " + key + " via " + node + " returned a value no client sent: " + a.raw);
            }
            if (linearizable) {
                record(kind + " " + a.status, Operation.read(id, client, key, invoked, completed, value, version));
            } else {
                count(kind + " " + a.status);
            }
        } else {
            // A read that failed changed nothing: not recorded.
            count(kind + " " + a.describe());
        }
    }

    private void writeFailed(String kind, Answer a, Operation unknown) {
        if (a.sureNotSent) {
            count(kind + " not sent (" + a.describe() + ")");
            return;
        }
        boolean surelyFailed = a.body != null
                && a.body.has("outcomeUnknown")
                && !a.body.get("outcomeUnknown").asBoolean();
        if (surelyFailed) {
            count(kind + " " + a.status + " surely failed");
        } else {
            // A 5xx that does not say, a timeout, a reset connection: it may have been applied.
            record(kind + " unknown (" + a.describe() + ")", unknown);
        }
    }

    private void record(String outcome, Operation op) {
        history.add(op);
        count(outcome);
    }

    private void count(String outcome) {
        outcomes.computeIfAbsent(
                        outcome.replaceAll("\\(.*\\)", "(...)").replaceAll("unknown \\(...\\)", "unknown"),
                        k -> new AtomicLong())
                .incrementAndGet();
    }

    /** What came back: a status and body, or an exception (status 0). */
    private record Answer(int status, JsonNode body, String raw, IOException error, boolean sureNotSent) {
        String describe() {
            return error != null ? error.getClass().getSimpleName() : Integer.toString(status);
        }
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = null;
            try {
                body = LocalCluster.JSON.readTree(response.body());
            } catch (IOException | RuntimeException e) {
                // Not JSON (an error page): the status alone decides.
            }
            return new Answer(response.statusCode(), body, response.body(), null, false);
        } catch (HttpConnectTimeoutException | ConnectException e) {
            // No connection, so no request: it cannot have had an effect.
            return new Answer(0, null, null, e, true);
        } catch (IOException e) {
            if (e.getCause() instanceof ConnectException) {
                return new Answer(0, null, null, e, true);
            }
            return new Answer(0, null, null, e, false);
        } catch (InterruptedException e) {
            // Stopped by close() while the request was out: its outcome is unknown, and it is recorded so.
            Thread.currentThread().interrupt();
            return new Answer(0, null, null, new IOException("interrupted", e), false);
        }
    }

    private HttpRequest.Builder request(String node, String path) {
        return HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + cluster.node(node).httpPort() + path))
                .timeout(TIMEOUT);
    }

    /** The recorded operations so far. */
    List<Operation> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    /** Reads that returned a value no client ever sent. */
    List<String> phantoms() {
        synchronized (phantoms) {
            return List.copyOf(phantoms);
        }
    }

    /** How many operations ended how. */
    Map<String, Long> outcomes() {
        Map<String, Long> m = new TreeMap<>();
        outcomes.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    /** Stops after the operations in flight. */
    @Override
    public void close() {
        running = false;
        for (Thread t : threads) {
            try {
                t.join(TIMEOUT.toMillis() + 2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                t.interrupt();
            }
        }
        LOG.info("History clients: {} operations recorded, outcomes {}", history.size(), outcomes());
    }
}
