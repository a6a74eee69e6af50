package io.raftboot.testsupport.property;

import java.util.SplittableRandom;

/**
 * A property test as a plain JUnit loop: runs a check a number of tries, each with its own
 * {@link SplittableRandom}, and on a failure names the try's seed so that exactly that input
 * can be replayed. No shrinking: the generators ({@link Gen}) are small and mix in the edge
 * cases (empty, extreme, non-ASCII) explicitly.
 *
 * <p>System properties (passed through by the module's surefire configuration):
 * <ul>
 * <li>{@value #TRIES}: every property runs at least this many tries (its own count if that is
 * more), for a longer hunt (nightly, before a release);</li>
 * <li>{@value #SEED}: the run's base seed, a number or {@code random}; fixed by default, so a
 * build is reproducible;</li>
 * <li>{@value #REPLAY}: runs only the one try with this seed (printed by a failure).</li>
 * </ul>
 */
public final class PropertyLoop {

    public static final String TRIES = "raft.prop.tries";
    public static final String SEED = "raft.prop.seed";
    public static final String REPLAY = "raft.prop.replay";

    /** The base seed of a build that names none. */
    static final long DEFAULT_SEED = 0x5EED_0F_2A_F7L;

    /** One try of a property, given its random source. */
    @FunctionalInterface
    public interface Try {
        void run(SplittableRandom random) throws Exception;
    }

    private PropertyLoop() {}

    /**
     * Runs {@code body} {@code tries} times (or {@value #TRIES} times if that is more), each
     * with a seed of its own derived from the base seed and the calling test method.
     */
    public static void forAll(int tries, Try body) {
        StackWalker.StackFrame caller = StackWalker.getInstance()
                .walk(frames -> frames.filter(f -> !f.getClassName().equals(PropertyLoop.class.getName()))
                        .findFirst()
                        .orElseThrow());
        String test = caller.getClassName().substring(caller.getClassName().lastIndexOf('.') + 1) + "#"
                + caller.getMethodName();
        String replay = property(REPLAY);
        if (replay != null) {
            runOne(test, 1, 1, Long.parseLong(replay), "replayed", body);
            return;
        }
        long base = baseSeed();
        int n = Math.max(tries, minimumTries());
        // Each property its own stream of try seeds, so adding a property changes no other's inputs.
        SplittableRandom seeds = new SplittableRandom(base ^ (test.hashCode() * 0x9E3779B97F4A7C15L));
        for (int i = 1; i <= n; i++) {
            runOne(test, i, n, seeds.nextLong(), "base seed " + base, body);
        }
    }

    /** The minimum tries of every property ({@value #TRIES}), 0 when not set. */
    public static int minimumTries() {
        String value = property(TRIES);
        if (value == null) {
            return 0;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + TRIES + "=" + value + " is not a number of tries", e);
        }
    }

    private static long baseSeed() {
        String value = property(SEED);
        if (value == null) {
            return DEFAULT_SEED;
        }
        if (value.equalsIgnoreCase("random")) {
            long seed = System.nanoTime() ^ System.currentTimeMillis() << 20;
            System.setProperty(SEED, Long.toString(seed)); // one base seed for the whole run
            return seed;
        }
        return Long.parseLong(value);
    }

    private static void runOne(String test, int attempt, int of, long seed, String origin, Try body) {
        try {
            body.run(new SplittableRandom(seed));
        } catch (Throwable failure) {
            if (failure instanceof VirtualMachineError) {
                throw (VirtualMachineError) failure;
            }
            String message = test + " failed on try " + attempt + " of " + of + " (" + origin + ", try seed " + seed
                    + "); replay with -Dtest=" + test + " -D" + REPLAY + "=" + seed + ": " + failure;
            System.err.println(message);
            throw new AssertionError(message, failure);
        }
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
