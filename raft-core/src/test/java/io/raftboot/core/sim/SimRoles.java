package io.raftboot.core.sim;

import io.raftboot.core.node.RoleCandidacy;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The named roles of a simulated run (issue 16): what each node offers when it starts (most of
 * five roles, some with weight 2), and the changes of offer the run makes during its faults (a
 * node becomes unavailable or available again, drops a role or offers all of its roles again).
 * Its own random stream: a run with roles draws its other faults as the same seed without roles.
 */
final class SimRoles {

    static final List<String> NAMES = List.of("a", "b", "c", "d", "e");

    private final SplittableRandom random;
    private final Map<String, RoleCandidacy> base = new TreeMap<>();
    private final Map<String, RoleCandidacy> current = new TreeMap<>();

    SimRoles(long seed) {
        this.random = new SplittableRandom(seed * 0xD1B54A32D192ED03L + 11);
    }

    /** What {@code node} offers now (its base offer the first time). */
    RoleCandidacy offerOf(String node) {
        return current.computeIfAbsent(node, id -> base.computeIfAbsent(id, this::draw));
    }

    /** A change of {@code node}'s offer: availability flipped, one role dropped, or the base offer again. */
    RoleCandidacy change(String node) {
        RoleCandidacy now = offerOf(node);
        RoleCandidacy next;
        int roll = random.nextInt(3);
        if (roll == 0) {
            next = now.withAvailable(!now.available());
        } else if (roll == 1 && !now.roles().isEmpty()) {
            TreeMap<String, Integer> fewer = new TreeMap<>(now.roles());
            fewer.remove(List.copyOf(fewer.keySet()).get(random.nextInt(fewer.size())));
            next = new RoleCandidacy(now.available(), fewer);
        } else {
            next = base.get(node);
        }
        current.put(node, next);
        return next;
    }

    /** After the faults: every node offers its base roles again. */
    RoleCandidacy restore(String node) {
        RoleCandidacy restored = base.computeIfAbsent(node, this::draw);
        current.put(node, restored);
        return restored;
    }

    /** The gap to the next change of offer, in nominal ticks. */
    int gapTicks() {
        return 10 + random.nextInt(40);
    }

    int pick(int bound) {
        return random.nextInt(bound);
    }

    private RoleCandidacy draw(String node) {
        TreeMap<String, Integer> roles = new TreeMap<>();
        for (String name : NAMES) {
            if (random.nextInt(100) < 80) {
                roles.put(name, random.nextInt(100) < 25 ? 2 : 1);
            }
        }
        return new RoleCandidacy(true, roles);
    }
}
