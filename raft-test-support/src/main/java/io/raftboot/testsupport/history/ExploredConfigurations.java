package io.raftboot.testsupport.history;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lowe's cache of the configurations a {@link KeyHistorySearch} has explored (a configuration is the
 * set of operations linearized so far and the model state they lead to), with one strengthening for
 * operations whose outcome is unknown: a configuration is skipped when one with the same known
 * operations linearized, the same state and a <em>subset</em> of its unknown operations linearized
 * was explored. That one can do everything this one can: the unknown operations it has not
 * linearized block nothing (they never return) and may stay unlinearized forever. Without it, every
 * subset of the pending unknown operations is a configuration of its own, and proving a violation
 * in a history with many of them takes exponential time.
 */
final class ExploredConfigurations {

    private record KnownPart(BitSet known, KeyState state) {}

    private final BitSet unknownOps;
    private final Map<KnownPart, List<BitSet>> explored = new HashMap<>();
    private final long bytesPerEntry;
    private long entries;

    ExploredConfigurations(BitSet unknownOps, int operations) {
        this.unknownOps = unknownOps;
        // Two bit sets of the history's length; their objects, the key record, the map node and the list, generously.
        this.bytesPerEntry = 2L * ((operations + 63) / 64) * Long.BYTES + 320;
    }

    /** @return false if this configuration, or one that can do all it can, was explored already */
    boolean addIfNew(BitSet linearized, KeyState state) {
        BitSet known = (BitSet) linearized.clone();
        known.andNot(unknownOps);
        BitSet unknown = (BitSet) linearized.clone();
        unknown.and(unknownOps);
        List<BitSet> unknownSets = explored.computeIfAbsent(new KnownPart(known, state), k -> new ArrayList<>(1));
        for (BitSet seen : unknownSets) {
            if (isSubset(seen, unknown)) {
                return false;
            }
        }
        unknownSets.add(unknown);
        entries++;
        return true;
    }

    /** Roughly how much heap the cache holds. */
    long approximateBytes() {
        return entries * bytesPerEntry;
    }

    private static boolean isSubset(BitSet small, BitSet large) {
        for (int i = small.nextSetBit(0); i >= 0; i = small.nextSetBit(i + 1)) {
            if (!large.get(i)) {
                return false;
            }
        }
        return true;
    }
}
