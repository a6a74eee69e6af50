package io.raftboot.testsupport.history;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Two reductions of one key's history that keep its verdict and shrink the search.
 *
 * <p><b>Unobserved values.</b> A value that no READ with a known outcome returned can never be told
 * apart from another such value: the writes' answers depend only on versions. Such values are
 * replaced by one placeholder, so states that differ only in them are one state.
 *
 * <p><b>Interchangeable unknown operations.</b> Unknown operations of the same kind with the same
 * (placeholder) value and expected version have the same effect and unconstrained answers. If a
 * linearization uses a later-invoked one where an earlier-invoked one stays unused (or comes later),
 * swapping them gives another valid linearization (the earlier one was invoked before the later one's
 * point; the later one, which never returns, may go anywhere after its invocation, or nowhere). So
 * the search may linearize such an operation only after the one invoked just before it in its group:
 * {@link #predecessor} names it. Without this, a history with n pending unknown writes has up to
 * 2^n configurations.
 */
final class InterchangeableUnknowns {

    private final List<Operation> searched;
    private final int[] predecessor;

    private InterchangeableUnknowns(List<Operation> searched, int[] predecessor) {
        this.searched = searched;
        this.predecessor = predecessor;
    }

    static InterchangeableUnknowns of(List<Operation> ops) {
        Set<String> observed = new HashSet<>();
        for (Operation op : ops) {
            if (!op.isUnknown() && op.kind() == OpKind.READ && op.result().value() != null) {
                observed.add(op.result().value());
            }
        }
        String placeholder = "\u0000unobserved";
        while (observed.contains(placeholder)) {
            placeholder += "\u0000";
        }
        List<Operation> searched = new ArrayList<>(ops.size());
        for (Operation op : ops) {
            boolean hidden = op.value() != null && !observed.contains(op.value());
            searched.add(
                    hidden
                            ? new Operation(
                                    op.id(),
                                    op.client(),
                                    op.key(),
                                    op.kind(),
                                    placeholder,
                                    op.expectedVersion(),
                                    op.invokeNanos(),
                                    op.completeNanos(),
                                    op.outcome(),
                                    op.result())
                            : op);
        }
        record Group(OpKind kind, String value, long expectedVersion) {}
        Map<Group, List<Integer>> groups = new HashMap<>();
        for (int i = 0; i < searched.size(); i++) {
            Operation op = searched.get(i);
            if (op.isUnknown()) {
                groups.computeIfAbsent(new Group(op.kind(), op.value(), op.expectedVersion()), g -> new ArrayList<>())
                        .add(i);
            }
        }
        int[] predecessor = new int[ops.size()];
        Arrays.fill(predecessor, -1);
        for (List<Integer> group : groups.values()) {
            group.sort(Comparator.comparingLong((Integer i) -> searched.get(i).invokeNanos())
                    .thenComparing(i -> i));
            for (int j = 1; j < group.size(); j++) {
                predecessor[group.get(j)] = group.get(j - 1);
            }
        }
        return new InterchangeableUnknowns(searched, predecessor);
    }

    /** The operations as the search should see them (unobserved values replaced). */
    List<Operation> searched() {
        return searched;
    }

    /** The operation that must be linearized before {@code op} may be, or -1. */
    int predecessor(int op) {
        Objects.checkIndex(op, predecessor.length);
        return predecessor[op];
    }
}
