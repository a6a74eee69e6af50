package io.raftboot.core.node;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified line diff (longest common subsequence) of an expected and an actual output, so that a
 * failing golden file shows the one line that changed among the ones that did not.
 */
final class InteractionDiff {

    private InteractionDiff() {}

    /** The lines of both, prefixed ' ' (in both), '-' (expected only) or '+' (actual only). */
    static List<String> lines(List<String> expected, List<String> actual) {
        int[][] lcs = new int[expected.size() + 1][actual.size() + 1];
        for (int i = expected.size() - 1; i >= 0; i--) {
            for (int j = actual.size() - 1; j >= 0; j--) {
                lcs[i][j] = expected.get(i).equals(actual.get(j))
                        ? lcs[i + 1][j + 1] + 1
                        : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < expected.size() || j < actual.size()) {
            if (i < expected.size() && j < actual.size() && expected.get(i).equals(actual.get(j))) {
                out.add(" " + expected.get(i++));
                j++;
            } else if (i < expected.size() && (j == actual.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
                out.add("-" + expected.get(i++));
            } else {
                out.add("+" + actual.get(j++));
            }
        }
        return out;
    }
}
