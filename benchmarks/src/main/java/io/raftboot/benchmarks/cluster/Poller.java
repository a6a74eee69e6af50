package io.raftboot.benchmarks.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One thread per node polling its status every {@code intervalMillis} (5 ms), recording every
 * answer with the instants the request left and the answer arrived. Scenarios read the recorded
 * history to timestamp leader changes: a change is seen at most one interval plus one round trip
 * after it happened, so measured durations are upper bounds with that resolution.
 */
public final class Poller implements AutoCloseable {

    private final Cluster cluster;
    private final long intervalNanos;
    private final List<Thread> threads = new ArrayList<>();
    private final List<Status> history = new CopyOnWriteArrayList<>();
    private final Map<String, Status> latest = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private volatile boolean recording;

    public Poller(Cluster cluster, Collection<String> ids, long intervalMillis) {
        this.cluster = cluster;
        this.intervalNanos = intervalMillis * 1_000_000L;
        for (String id : ids) {
            Thread t = new Thread(() -> poll(id), "poller-" + id);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    private void poll(String id) {
        long next = System.nanoTime();
        while (running) {
            Status s = cluster.status(id, Duration.ofMillis(200));
            latest.put(id, s);
            if (recording) {
                history.add(s);
            }
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            } else {
                next = System.nanoTime();
            }
        }
    }

    /** Clears the history and records from now on. */
    public void startRecording() {
        history.clear();
        recording = true;
    }

    public List<Status> stopRecording() {
        recording = false;
        List<Status> h = new ArrayList<>(history);
        h.sort(Comparator.comparingLong(Status::receivedNanos));
        return h;
    }

    public Map<String, Status> latest() {
        return new HashMap<>(latest);
    }

    /**
     * The first instant (answer received) at which the recorded history shows these nodes agreeing
     * on a leader of a term above {@code aboveTerm}, after {@code fromNanos}.
     */
    public static Optional<Agreement> firstAgreement(List<Status> sorted, Collection<String> ids, long aboveTerm,
                                                     long fromNanos) {
        Map<String, Status> now = new HashMap<>();
        for (Status s : sorted) {
            if (s.sentNanos() < fromNanos) {
                continue;
            }
            now.put(s.nodeId(), s);
            Optional<Status> leader = Cluster.agreement(now, ids, aboveTerm);
            if (leader.isPresent()) {
                return Optional.of(new Agreement(leader.get(), s.receivedNanos()));
            }
        }
        return Optional.empty();
    }

    public record Agreement(Status leader, long atNanos) {
    }

    @Override
    public void close() {
        running = false;
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
