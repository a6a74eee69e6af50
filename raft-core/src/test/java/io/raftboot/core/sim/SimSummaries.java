package io.raftboot.core.sim;

import io.raftboot.core.sim.InvariantChecker.InvariantViolation;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints one line per seed (the run's summary, or the violation it ends with), for comparing
 * runs across JVMs: {@code SimSummaries <firstSeed> <lastSeed> [plain|forgetVotes|both|membership]}, with
 * {@code SimOptions.forSeed(seed)}, its {@code withForgetVotes()}, or both in turn (default
 * plain). Used by {@link CrossJvmDeterminismTest}.
 */
final class SimSummaries {

    private SimSummaries() {}

    static List<String> summaries(long first, long last, String mode) {
        List<String> lines = new ArrayList<>();
        for (long seed = first; seed <= last; seed++) {
            if (mode.equals("roles")) {
                lines.add(summaryOf(SimulationTest.rolesOptions(seed)));
                continue;
            }
            if (mode.equals("membership")) {
                lines.add(summaryOf(SimOptions.forSeed(seed).withMembershipChanges()));
                continue;
            }
            if (!mode.equals("forgetVotes")) {
                lines.add(summary(seed, false));
            }
            if (!mode.equals("plain")) {
                lines.add(summary(seed, true));
            }
        }
        return lines;
    }

    static String summary(long seed, boolean forgetVotes) {
        return summaryOf(forgetVotes ? SimOptions.forSeed(seed).withForgetVotes() : SimOptions.forSeed(seed));
    }

    static String summaryOf(SimOptions options) {
        long seed = options.seed();
        try {
            return new Simulation(options).run();
        } catch (InvariantViolation e) {
            return "seed " + seed + ": " + e.getMessage();
        }
    }

    public static void main(String[] args) {
        long first = Long.parseLong(args[0]);
        long last = Long.parseLong(args[1]);
        String mode = args.length > 2 ? args[2] : "plain";
        StringBuilder out = new StringBuilder();
        for (String line : summaries(first, last, mode)) {
            out.append(line).append('\n');
        }
        System.out.print(out);
    }
}
