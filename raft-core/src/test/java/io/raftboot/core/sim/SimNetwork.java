package io.raftboot.core.sim;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The simulated network: per-message latency (so reordering), loss, duplication, and blocked
 * directed links (a symmetric partition blocks both directions, a one-way partition one).
 */
final class SimNetwork {

    private final SplittableRandom random;
    private final Set<String> blocked = new HashSet<>(); // "from->to"
    double lossRate;
    double duplicateRate;
    long minLatency;
    long maxLatency;

    SimNetwork(SplittableRandom random, long tickPeriod) {
        this.random = random;
        this.minLatency = tickPeriod / 20;
        this.maxLatency = tickPeriod * 2;
    }

    boolean linkUp(String from, String to) {
        return !blocked.contains(from + "->" + to);
    }

    void block(String from, String to) {
        blocked.add(from + "->" + to);
    }

    void unblock(String from, String to) {
        blocked.remove(from + "->" + to);
    }

    /** Splits the nodes into two sides that cannot talk (symmetric partition). */
    void partition(List<String> sideA, List<String> sideB) {
        for (String a : sideA) {
            for (String b : sideB) {
                block(a, b);
                block(b, a);
            }
        }
    }

    void heal() {
        blocked.clear();
        lossRate = 0;
        duplicateRate = 0;
    }

    boolean hasPartitions() {
        return !blocked.isEmpty();
    }

    /** Number of copies to deliver: 0 when lost, 2 when duplicated. */
    int copies(String from, String to) {
        if (!linkUp(from, to) || random.nextDouble() < lossRate) {
            return 0;
        }
        return random.nextDouble() < duplicateRate ? 2 : 1;
    }

    long latency() {
        return minLatency + random.nextLong(maxLatency - minLatency + 1);
    }
}
