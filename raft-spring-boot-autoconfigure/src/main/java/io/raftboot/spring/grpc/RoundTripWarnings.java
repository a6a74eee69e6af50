package io.raftboot.spring.grpc;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Decides when the smoothed round trip to a peer is worth a log line: a warning when it rises
 * above the envelope's threshold, again at most once per {@link #REPEAT_NANOS} while it stays
 * there, and one line when it has fallen below the clearing level. Pure (the clock is
 * injected); the transport logs what it answers.
 */
final class RoundTripWarnings {

    /** While the round trip stays high, the warning repeats this often at most. */
    static final long REPEAT_NANOS = 60_000_000_000L;

    /** What to log for one observation. */
    enum Decision {
        NONE,
        WARN,
        CLEARED
    }

    private static final class PeerState {
        boolean high;
        long lastWarnNanos;
        long suppressed;
    }

    private final RoundTripEnvelope envelope;
    private final LongSupplier clock;
    private final Map<String, PeerState> peers = new ConcurrentHashMap<>();

    RoundTripWarnings(RoundTripEnvelope envelope, LongSupplier nanoClock) {
        this.envelope = envelope;
        this.clock = nanoClock;
    }

    RoundTripEnvelope envelope() {
        return envelope;
    }

    /** Observations that were above the threshold but not logged since the last warning for {@code peer}. */
    long suppressed(String peer) {
        PeerState s = peers.get(peer);
        return s == null ? 0 : s.suppressed;
    }

    /** @param smoothedNanos the peer's smoothed round trip now */
    Decision observe(String peer, double smoothedNanos) {
        if (Double.isNaN(smoothedNanos)) {
            return Decision.NONE;
        }
        PeerState s = peers.computeIfAbsent(peer, k -> new PeerState());
        long now = clock.getAsLong();
        synchronized (s) {
            if (smoothedNanos > envelope.warnAboveNanos()) {
                if (!s.high || now - s.lastWarnNanos >= REPEAT_NANOS) {
                    s.high = true;
                    s.lastWarnNanos = now;
                    return Decision.WARN;
                }
                s.suppressed++;
                return Decision.NONE;
            }
            if (s.high && smoothedNanos < envelope.clearBelowNanos()) {
                s.high = false;
                s.suppressed = 0;
                return Decision.CLEARED;
            }
            return Decision.NONE;
        }
    }

    /** Resets the count of suppressed observations after a warning was logged. */
    void logged(String peer) {
        PeerState s = peers.get(peer);
        if (s != null) {
            synchronized (s) {
                s.suppressed = 0;
            }
        }
    }
}
