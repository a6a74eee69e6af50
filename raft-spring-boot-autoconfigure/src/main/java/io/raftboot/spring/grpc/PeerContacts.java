package io.raftboot.spring.grpc;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * What the transport observed of each peer: when it last heard from it (a reply to our request,
 * or a valid request from it), whether the last call to it failed, and AppendEntries round-trip
 * times, the latest and smoothed. Thread-safe; read by the actuator endpoint, the health indicator and the metrics.
 */
public final class PeerContacts {

    private static final class Contact {
        volatile long lastContactNanos = Long.MIN_VALUE;
        volatile boolean lastCallFailed;
        volatile long lastRttNanos = -1;
        final RoundTripEstimate rtt = new RoundTripEstimate();
    }

    private final Map<String, Contact> contacts = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<BiConsumer<String, Duration>> rttListeners = new CopyOnWriteArrayList<>();
    private final long reachableWindowNanos;

    /** @param reachableWindow how recent the last contact must be for a peer to count as reachable */
    public PeerContacts(Duration reachableWindow) {
        this.reachableWindowNanos = reachableWindow.toNanos();
    }

    void heardFrom(String peer) {
        Contact c = contact(peer);
        c.lastContactNanos = System.nanoTime();
        c.lastCallFailed = false;
    }

    void callFailed(String peer) {
        contact(peer).lastCallFailed = true;
    }

    void heartbeatRoundTrip(String peer, long nanos) {
        Contact c = contact(peer);
        c.lastRttNanos = nanos;
        c.rtt.add(nanos); // before the listeners, which read the smoothed value
        Duration rtt = Duration.ofNanos(nanos);
        for (BiConsumer<String, Duration> l : rttListeners) {
            l.accept(peer, rtt);
        }
    }

    /** Milliseconds since this node last heard from {@code peer}, or -1 if never. */
    public long millisSinceContact(String peer) {
        Contact c = contacts.get(peer);
        if (c == null || c.lastContactNanos == Long.MIN_VALUE) {
            return -1;
        }
        return (System.nanoTime() - c.lastContactNanos) / 1_000_000;
    }

    /** Heard from recently, and the last call to it did not fail. */
    public boolean isReachable(String peer) {
        Contact c = contacts.get(peer);
        return c != null
                && c.lastContactNanos != Long.MIN_VALUE
                && !c.lastCallFailed
                && System.nanoTime() - c.lastContactNanos < reachableWindowNanos;
    }

    /** The last heartbeat round trip to {@code peer}, or {@code null} if none was measured. */
    public Duration lastRoundTrip(String peer) {
        Contact c = contacts.get(peer);
        return c == null || c.lastRttNanos < 0 ? null : Duration.ofNanos(c.lastRttNanos);
    }

    /**
     * The smoothed round trip to {@code peer} in seconds ({@link RoundTripEstimate}: the moving
     * average of its AppendEntries round trips), or NaN if none was measured: the
     * {@code raft.peer.round.trip} gauge.
     */
    public double smoothedRoundTripSeconds(String peer) {
        return smoothedRoundTripNanos(peer) / 1e9;
    }

    double smoothedRoundTripNanos(String peer) {
        Contact c = contacts.get(peer);
        return c == null ? Double.NaN : c.rtt.smoothedNanos();
    }

    /** Called with (peer, round trip) for each answered AppendEntries this node sent. */
    public void addRoundTripListener(BiConsumer<String, Duration> listener) {
        rttListeners.add(listener);
    }

    private Contact contact(String peer) {
        return contacts.computeIfAbsent(peer, k -> new Contact());
    }
}
