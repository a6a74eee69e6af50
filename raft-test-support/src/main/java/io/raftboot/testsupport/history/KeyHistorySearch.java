package io.raftboot.testsupport.history;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * The linearizability search for the history of one key: Wing &amp; Gong's depth-first search for a
 * sequential order that respects real time and the {@link ConfigStoreModel}, with Lowe's
 * memoisation (G. Lowe, "Testing for linearizability", 2017): a configuration, the set of operations
 * linearized so far and the model state they lead to, is explored at most once
 * ({@link ExploredConfigurations}, which also skips configurations that an explored one subsumes).
 * It is the algorithm of Porcupine and Knossos' "linear" checker.
 *
 * <p>The history is a doubly linked list of call and return events in time order. The search walks
 * it from the head: at a call it tries to linearize that operation next (if the model accepts its
 * answer and the configuration is new, the operation's two events are lifted out of the list and the
 * walk restarts at the head); reaching a return means the operation returning there had to be
 * linearized before this point, so the last choice is undone (backtrack). An operation whose outcome
 * is unknown returns at +infinity, so it can be linearized anywhere after its call; the search
 * succeeds once every operation with a known outcome is linearized (an unknown one left over is one
 * that never took effect, or took effect after everything else: the same thing for the history).
 */
final class KeyHistorySearch {

    /** What the search concluded. */
    record Verdict(boolean linearizable, boolean inconclusive, String explanation, long steps) {}

    /** One call or return event; a call's {@code match} is its return. */
    private static final class Event {
        final int op;
        final boolean call;
        final long time;
        Event match;
        Event prev;
        Event next;

        Event(int op, boolean call, long time) {
            this.op = op;
            this.call = call;
            this.time = time;
        }
    }

    /**
     * A linearized operation, with what to restore when it is undone: a known one's call event
     * ({@code null} for an unknown one), and for an unknown one where it was in {@code unknownOrder}
     * and the pending return that bounded the choice.
     */
    private record Frame(
            Event call, int op, int unknownPos, Event frontier, KeyState stateBefore, BitSet linearizedBefore) {}

    private static final int MAX_SHOWN_PREFIX = 25;

    private final String key;
    private final List<Operation> ops;
    private final InterchangeableUnknowns reduction;
    /** The unknown operations, in invocation order. */
    private int[] unknownOrder;

    private final long budget;
    private final Event head = new Event(-1, false, Long.MIN_VALUE);
    private int bestDepth = -1;
    private boolean bestUnrecorded;
    private List<Integer> bestPrefix = List.of();

    private KeyHistorySearch(String key, List<Operation> ops, long budget) {
        this.key = key;
        this.ops = ops;
        this.reduction = InterchangeableUnknowns.of(ops);
        this.budget = budget;
    }

    /**
     * @param ops the operations on {@code key}, reads with an unknown outcome already left out
     * @param budget the most steps to take before answering "inconclusive"
     */
    static Verdict search(String key, List<Operation> ops, long budget) {
        return new KeyHistorySearch(key, ops, budget).run();
    }

    private Verdict run() {
        buildEventList();
        int knownLeft = 0;
        for (Operation op : ops) {
            knownLeft += op.isUnknown() ? 0 : 1;
        }
        BitSet unknownOps = new BitSet(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            unknownOps.set(i, ops.get(i).isUnknown());
        }
        ExploredConfigurations explored = new ExploredConfigurations(unknownOps, ops.size());
        long memoryBound = Runtime.getRuntime().maxMemory() / 4;
        Deque<Frame> stack = new ArrayDeque<>();
        BitSet linearized = new BitSet(ops.size());
        KeyState state = KeyState.ABSENT;
        Event event = head.next;
        int unknownPos = -1; // -1: trying the known operations; else the next unknown one to try
        long steps = 0;
        while (knownLeft > 0) {
            if (steps++ >= budget) {
                return new Verdict(
                        false,
                        true,
                        "key '" + key + "': step budget of " + budget + " exhausted after " + stack.size() + " of "
                                + ops.size() + " operations linearized; neither proved nor refuted",
                        steps);
            }
            if ((steps & 0x3FF) == 0 && explored.approximateBytes() > memoryBound) {
                return new Verdict(
                        false,
                        true,
                        "key '" + key + "': the search's cache outgrew a quarter of the heap ("
                                + explored.approximateBytes() / (1024 * 1024) + " MB) after " + steps
                                + " steps; neither proved nor"
                                + " refuted",
                        steps);
            }
            int candidate = -1;
            if (unknownPos < 0) {
                if (!event.call) {
                    // The earliest pending return: every known candidate was tried, now the unknown ones
                    // invoked by then (a tie counts as concurrent).
                    unknownPos = 0;
                    continue;
                }
                candidate = event.op;
            } else if (unknownPos < unknownOrder.length
                    && ops.get(unknownOrder[unknownPos]).invokeNanos() <= event.time) {
                candidate = unknownOrder[unknownPos];
            }
            if (candidate < 0) {
                // Nothing can go next, yet the operation returning at `event` had to be linearized by now.
                recordBest(stack);
                if (stack.isEmpty()) {
                    return new Verdict(false, false, explainViolation(), steps);
                }
                Frame undone = stack.pop();
                state = undone.stateBefore();
                linearized = undone.linearizedBefore();
                if (undone.call() != null) {
                    knownLeft++;
                    unlift(undone.call());
                    event = undone.call().next;
                    unknownPos = -1;
                } else {
                    event = undone.frontier();
                    unknownPos = undone.unknownPos() + 1;
                }
                continue;
            }
            KeyState after = null;
            int predecessor = reduction.predecessor(candidate);
            if (!linearized.get(candidate) && (predecessor < 0 || linearized.get(predecessor))) {
                after = ConfigStoreModel.step(state, reduction.searched().get(candidate));
            }
            BitSet next = null;
            if (after != null) {
                next = (BitSet) linearized.clone();
                next.set(candidate);
            }
            if (after == null || !explored.addIfNew(next, after)) {
                if (unknownPos < 0) {
                    event = event.next;
                } else {
                    unknownPos++;
                }
                continue;
            }
            boolean known = unknownPos < 0;
            stack.push(new Frame(known ? event : null, candidate, unknownPos, event, state, linearized));
            if (stack.size() > bestDepth) {
                bestDepth = stack.size();
                bestUnrecorded = true;
            }
            state = after;
            linearized = next;
            if (known) {
                knownLeft--;
                lift(event);
            }
            event = head.next;
            unknownPos = -1;
        }
        return new Verdict(true, false, "key '" + key + "': linearizable", steps);
    }

    /**
     * The known operations' events go into the list; the unknown ones, which never return, are kept
     * apart in invocation order and tried only after every known candidate: an unknown write usually
     * explains nothing, and trying it first sends the search down long dead ends.
     */
    private void buildEventList() {
        List<Event> events = new ArrayList<>(2 * ops.size());
        List<Integer> unknown = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            if (op.isUnknown()) {
                unknown.add(i);
                continue;
            }
            Event call = new Event(i, true, op.invokeNanos());
            Event ret = new Event(i, false, op.completeNanos());
            call.match = ret;
            events.add(call);
            events.add(ret);
        }
        // At equal times calls come first: an operation invoked at the nanosecond another completed
        // counts as concurrent with it (clocks have a granularity; never reject on a tie).
        events.sort(Comparator.comparingLong((Event e) -> e.time)
                .thenComparing(e -> !e.call)
                .thenComparingInt(e -> e.op));
        unknown.sort(Comparator.comparingLong((Integer i) -> ops.get(i).invokeNanos())
                .thenComparing(i -> i));
        unknownOrder = unknown.stream().mapToInt(Integer::intValue).toArray();
        Event last = head;
        for (Event e : events) {
            last.next = e;
            e.prev = last;
            last = e;
        }
    }

    /** Takes a linearized operation's call and return out of the list. */
    private static void lift(Event call) {
        call.prev.next = call.next;
        call.next.prev = call.prev; // a call is always followed by at least its return
        Event ret = call.match;
        ret.prev.next = ret.next;
        if (ret.next != null) {
            ret.next.prev = ret.prev;
        }
    }

    /** Undoes {@link #lift}: the return first, as the call's neighbours may include it. */
    private static void unlift(Event call) {
        Event ret = call.match;
        ret.prev.next = ret;
        if (ret.next != null) {
            ret.next.prev = ret;
        }
        call.prev.next = call;
        call.next.prev = call;
    }

    /** Keeps the deepest linearization seen; called before the stack shrinks, so it is still whole. */
    private void recordBest(Deque<Frame> stack) {
        if (!bestUnrecorded && bestDepth >= 0) {
            return;
        }
        List<Integer> prefix = new ArrayList<>(stack.size());
        for (Iterator<Frame> it = stack.descendingIterator(); it.hasNext(); ) {
            prefix.add(it.next().op());
        }
        bestPrefix = prefix;
        bestDepth = Math.max(bestDepth, prefix.size());
        bestUnrecorded = false;
    }

    private String explainViolation() {
        int known = 0;
        for (Operation op : ops) {
            known += op.isUnknown() ? 0 : 1;
        }
        StringBuilder s = new StringBuilder();
        s.append("history of key '")
                .append(key)
                .append("' is not linearizable (")
                .append(ops.size())
                .append(" operations, ")
                .append(ops.size() - known)
                .append(" with unknown outcome).\n");
        long origin = Long.MAX_VALUE;
        for (Operation op : ops) {
            origin = Math.min(origin, op.invokeNanos());
        }
        s.append("Longest linearizable prefix found: ")
                .append(bestPrefix.size())
                .append(" operations")
                .append(bestPrefix.isEmpty() ? "" : ", state after each:")
                .append('\n');
        KeyState state = KeyState.ABSENT;
        BitSet placed = new BitSet(ops.size());
        int skip = Math.max(0, bestPrefix.size() - MAX_SHOWN_PREFIX);
        if (skip > 0) {
            s.append("  ... (").append(skip).append(" earlier operations)\n");
        }
        for (int i = 0; i < bestPrefix.size(); i++) {
            Operation op = ops.get(bestPrefix.get(i));
            state = ConfigStoreModel.step(state, op);
            placed.set(bestPrefix.get(i));
            if (i >= skip) {
                s.append("  ")
                        .append(line(op, origin))
                        .append("  -> ")
                        .append(state)
                        .append('\n');
            }
        }
        // The next operation must be one invoked before the earliest pending known return.
        long deadline = Operation.NEVER;
        for (int i = 0; i < ops.size(); i++) {
            if (!placed.get(i) && !ops.get(i).isUnknown()) {
                deadline = Math.min(deadline, ops.get(i).completeNanos());
            }
        }
        s.append("None of these could be placed next (each was invoked before the earliest pending completion, at ")
                .append(relative(deadline, origin))
                .append("):\n");
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            if (placed.get(i) || op.invokeNanos() > deadline) {
                continue;
            }
            String misfit = ConfigStoreModel.misfit(state, op);
            s.append("  ")
                    .append(line(op, origin))
                    .append(": ")
                    .append(misfit != null ? misfit : "fits here, but no linearization continues from there")
                    .append('\n');
        }
        return s.toString();
    }

    private static String line(Operation op, long origin) {
        return op.describe() + " [" + relative(op.invokeNanos(), origin) + ", "
                + (op.isUnknown() ? "never" : relative(op.completeNanos(), origin)) + "]";
    }

    /** A time relative to the key's first invocation, in microseconds: short, and enough to order. */
    private static String relative(long nanos, long origin) {
        if (nanos == Operation.NEVER) {
            return "never";
        }
        return String.format(java.util.Locale.ROOT, "+%.3fus", (nanos - origin) / 1000.0);
    }
}
