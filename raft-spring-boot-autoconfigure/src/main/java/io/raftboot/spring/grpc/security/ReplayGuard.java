package io.raftboot.spring.grpc.security;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * Refuses a signed request whose timestamp is more than the replay window away from this node's
 * clock, or whose nonce was already seen. A nonce is remembered for twice the window after it
 * arrived (its timestamp may be up to one window ahead), then forgotten: after that its
 * timestamp is stale anyway. At most {@code maxNonces} are remembered; when full, new requests
 * are refused until old nonces expire, so memory stays bounded under a flood.
 */
final class ReplayGuard {

    enum Verdict {
        FRESH,
        STALE,
        REPLAYED,
        FULL
    }

    private record Seen(long expiresAtMillis, String nonce) {}

    private final long windowMillis;
    private final int maxNonces;
    private final Set<String> nonces = new HashSet<>();
    private final ArrayDeque<Seen> byExpiry = new ArrayDeque<>();

    ReplayGuard(Duration window, int maxNonces) {
        this.windowMillis = window.toMillis();
        this.maxNonces = maxNonces;
    }

    /** Whether the timestamp is within the window of {@code nowMillis}; cheap, checked before the MAC. */
    boolean timely(long timestampMillis, long nowMillis) {
        return Math.abs(nowMillis - timestampMillis) <= windowMillis;
    }

    /** Records the nonce of a request whose MAC verified. */
    synchronized Verdict admit(long timestampMillis, String nonce, long nowMillis) {
        while (!byExpiry.isEmpty() && byExpiry.peekFirst().expiresAtMillis() <= nowMillis) {
            nonces.remove(byExpiry.pollFirst().nonce());
        }
        if (!timely(timestampMillis, nowMillis)) {
            return Verdict.STALE;
        }
        if (nonces.contains(nonce)) {
            return Verdict.REPLAYED;
        }
        if (nonces.size() >= maxNonces) {
            return Verdict.FULL;
        }
        nonces.add(nonce);
        byExpiry.addLast(new Seen(nowMillis + 2 * windowMillis, nonce));
        return Verdict.FRESH;
    }

    synchronized int size() {
        return nonces.size();
    }
}
