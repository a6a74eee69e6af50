package io.raftboot.core.node;

import io.raftboot.core.log.LogEntry;
import io.raftboot.core.message.Message;
import io.raftboot.core.message.VoteRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Runs the commands of an {@link InteractionScript} against a {@link Network} and writes down,
 * in the order it happens, what each one causes:
 *
 * <ul>
 *   <li>{@code send a->b ...}: a node's Ready sent a message; {@code [dropped]} when the network
 *       lost it at once (isolated or dropped link, recipient down);
 *   <li>{@code recv a->b ...}: the message was stepped into its recipient; {@code lost} when the
 *       network dropped it at delivery, {@code held} when a hold rule kept it aside;
 *   <li>{@code sent 3 AppendEntries, ...}: under {@code show states}, a tally of the messages
 *       sent (by {@link InteractionOutput#kind}) in place of their lines;
 *   <li>{@code a: role=... term=...}: the fields of a node's state that changed (see
 *       {@link InteractionOutput.NodeState}), with {@code (tick k)} or {@code (round k)} inside a
 *       command that ticks several times.
 * </ul>
 *
 * The commands (one scenario starts with {@code cluster}):
 *
 * <pre>
 * cluster n1 n2 n3 [seed=1] [prevote=false] [checkquorum=false] [election=10] [heartbeat=1]
 * elect n1                   Network.elect: only n1 campaigns; prints the states only
 * tick n1 [k]                n1 ticks k times; nothing is delivered
 * tick-all [k]               k rounds: every live node ticks, then everything in flight is delivered
 * campaign n2                n2 ticks until it sends a vote request (at most 3 election timeouts)
 * deliver [filter]           no filter: until nothing is in flight; a filter: once, what matches now
 * discard [filter]           the matching messages in flight are lost
 * drop filter                from now on the network loses matching messages (until heal)
 * hold filter | release [filter]   keep matching messages aside at delivery, put them back
 * isolate n3 | heal [n3]     Network.isolate / heal
 * crash n2 | restart n2      the node stops (disk kept) / comes back from its disk
 * propose n1 put k v         the rest of the line is the command
 * transfer n1 n2             n1.transferLeadership(n2)
 * report-unreachable n2 n1   n2's driver saw n1's process go away (crash-fast detection)
 * status n1 | log n1         the node's whole state / its log
 * show all | show states     print messages and states, or states only (for long tick runs)
 * </pre>
 *
 * A filter is a conjunction of {@code from->to} (either side may be {@code *}) and message type
 * names ({@code TimeoutNow}). A command refused by {@link RaftNode}'s API prints {@code refused:};
 * an invariant {@link Network} checks fails the test, even when rewriting.
 */
final class InteractionEnv {

    /** Bound on the deliveries of one command; a cluster that keeps talking is a failure. */
    private static final int MAX_DELIVERIES = 100_000;

    private static final Set<String> MESSAGE_TYPES = Arrays.stream(Message.class.getPermittedSubclasses())
            .map(Class::getSimpleName)
            .collect(Collectors.toCollection(TreeSet::new));

    private Network net;
    private boolean showMessages = true;
    private int sentSeen;
    private Map<String, InteractionOutput.NodeState> states = new LinkedHashMap<>();
    private final List<String> out = new ArrayList<>();
    /** Under {@code show states}: how many messages of each kind were sent, for one tally line. */
    private final Map<String, Integer> suppressed = new TreeMap<>();

    /** Runs one command and returns its output lines (never empty: "ok" when nothing happened). */
    List<String> run(InteractionScript.Directive d) {
        out.clear();
        List<String> args = d.args();
        switch (d.verb()) {
            case "cluster" -> cluster(args);
            case "elect" -> elect(one(args));
            case "tick" -> tick(args.get(0), args.size() > 1 ? Integer.parseInt(args.get(1)) : 1);
            case "tick-all" -> tickAll(args.isEmpty() ? 1 : Integer.parseInt(args.get(0)));
            case "campaign" -> campaign(one(args));
            case "deliver" -> deliver(args);
            case "discard" -> discard(args);
            case "drop" -> net().dropWhere(filter(args));
            case "hold" -> net().holdWhere(filter(args));
            case "release" -> release(args);
            case "isolate" -> net().isolate(one(args));
            case "heal" -> {
                if (args.isEmpty()) {
                    net().heal();
                } else {
                    net().heal(one(args));
                }
            }
            case "crash" -> crash(one(args));
            case "restart" -> {
                net().restart(one(args));
                net().flush(one(args));
                observe("");
            }
            case "propose" -> propose(args.get(0), String.join(" ", args.subList(1, args.size())));
            case "transfer" -> transfer(args.get(0), args.get(1));
            case "report-unreachable" -> {
                net().node(args.get(0)).peerUnreachable(args.get(1));
                net().flush(args.get(0));
                observe("");
            }
            case "status" -> status(one(args));
            case "log" -> log(one(args));
            case "show" ->
                showMessages = switch (one(args)) {
                    case "all" -> true;
                    case "states" -> false;
                    default -> throw new IllegalArgumentException("show all | show states, not " + args);
                };
            default -> throw new IllegalArgumentException("unknown command '" + d.verb() + "'");
        }
        if (!suppressed.isEmpty()) {
            out.add("sent "
                    + suppressed.entrySet().stream()
                            .map(e -> e.getValue() + " " + e.getKey())
                            .collect(Collectors.joining(", ")));
            suppressed.clear();
        }
        if (out.isEmpty()) {
            out.add("ok");
        }
        return List.copyOf(out);
    }

    // ------------------------------------------------------------------ commands

    private void cluster(List<String> args) {
        List<String> ids = new ArrayList<>();
        long seed = 1;
        Map<String, String> options = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq < 0) {
                ids.add(a);
            } else {
                options.put(a.substring(0, eq), a.substring(eq + 1));
            }
        }
        ProtocolSettings settings = ProtocolSettings.of(Membership.ofVoters(ids.toArray(String[]::new)));
        int election = settings.electionTicks();
        int heartbeat = settings.heartbeatTicks();
        for (Map.Entry<String, String> o : options.entrySet()) {
            switch (o.getKey()) {
                case "seed" -> seed = Long.parseLong(o.getValue());
                case "prevote" -> settings = settings.withPreVote(Boolean.parseBoolean(o.getValue()));
                case "checkquorum" -> settings = settings.withCheckQuorum(Boolean.parseBoolean(o.getValue()));
                case "election" -> election = Integer.parseInt(o.getValue());
                case "heartbeat" -> heartbeat = Integer.parseInt(o.getValue());
                default -> throw new IllegalArgumentException("unknown cluster option '" + o.getKey() + "'");
            }
        }
        net = new Network(settings.withTicks(election, heartbeat), seed);
        sentSeen = 0;
        showMessages = true;
        states = new LinkedHashMap<>();
        for (String id : settings.membership().all()) {
            states.put(id, InteractionOutput.NodeState.DOWN); // so the first observation prints every node
        }
        observe("");
    }

    /** The election's messages are not printed: it is set-up, and {@link Network#elect} discards some. */
    private void elect(String id) {
        net().elect(id);
        sentSeen = net.sent.size();
        observe("");
    }

    private void tick(String id, int times) {
        for (int i = 1; i <= times; i++) {
            net().tickOnly(id);
            observe(times > 1 ? " (tick " + i + ")" : "");
        }
    }

    /** {@link Network#tickAll()}, observed after each node's tick and each delivery. */
    private void tickAll(int rounds) {
        for (int r = 1; r <= rounds; r++) {
            String when = rounds > 1 ? " (round " + r + ")" : "";
            for (String id : liveIds()) {
                net().tickOnly(id);
                observe(when);
            }
            deliverAll(when);
        }
    }

    private void campaign(String id) {
        RaftNode n = net().node(id);
        if (n.role() == Role.LEADER || !n.config().membership().isVoter(id)) {
            out.add("refused: " + id + " is " + n.role());
            return;
        }
        int limit = 3 * net.config().electionTicks();
        for (int i = 0; i < limit; i++) {
            int before = net.sent.size();
            net.tickOnly(id);
            observe("");
            if (net.sent.subList(before, net.sent.size()).stream().anyMatch(VoteRequest.class::isInstance)) {
                return;
            }
        }
        out.add("no campaign within " + limit + " ticks");
    }

    private void deliver(List<String> args) {
        if (args.isEmpty()) {
            deliverAll("");
            return;
        }
        for (Message m : net().discardWhere(filter(args))) {
            deliverObserved(m, "");
        }
    }

    private void deliverAll(String when) {
        net().flushAll();
        observe(when);
        for (int n = 0; !net.inFlight().isEmpty(); n++) {
            if (n > MAX_DELIVERIES) {
                throw new AssertionError("messages never stop: " + net);
            }
            Message m = net.inFlight().get(0);
            net.discardWhere(x -> x == m);
            deliverObserved(m, when);
        }
    }

    /** Delivers one message and says whether it arrived, was lost or held, then what it caused. */
    private void deliverObserved(Message m, String when) {
        int delivered = net.delivered.size();
        int held = net.held().size();
        net.deliver(m);
        String how = net.delivered.size() > delivered ? "recv " : net.held().size() > held ? "held " : "lost ";
        if (showMessages) {
            out.add(how + InteractionOutput.message(m));
        }
        observe(when);
    }

    private void discard(List<String> args) {
        Predicate<Message> which = args.isEmpty() ? m -> true : filter(args);
        for (Message m : net().discardWhere(which)) {
            if (showMessages) {
                out.add("lost " + InteractionOutput.message(m));
            }
        }
    }

    private void release(List<String> args) {
        if (args.isEmpty()) {
            net().releaseHeld();
        } else {
            net().releaseHeldWhere(filter(args));
        }
    }

    /** The node stops; what was in flight to it is lost with it. */
    private void crash(String id) {
        List<Message> before = net().inFlight();
        net.crash(id);
        Set<Message> after = identitySet(net.inFlight());
        for (Message m : before) {
            if (!after.contains(m) && showMessages) {
                out.add("lost " + InteractionOutput.message(m));
            }
        }
        observe("");
    }

    private void propose(String id, String command) {
        try {
            long index = net().propose(id, command);
            out.add("index " + index);
        } catch (NotLeaderException e) {
            out.add("refused: not leader, hint=" + InteractionOutput.orDash(e.leaderHint()));
        }
        observe("");
    }

    private void transfer(String from, String to) {
        try {
            net().node(from).transferLeadership(to);
        } catch (NotLeaderException e) {
            out.add("refused: not leader, hint=" + InteractionOutput.orDash(e.leaderHint()));
        } catch (IllegalArgumentException e) {
            out.add("refused: " + to + " is not a voter");
        }
        net.flush(from);
        observe("");
    }

    private void status(String id) {
        if (!net().isUp(id)) {
            out.add(id + " down");
            return;
        }
        RaftNode n = net.node(id);
        out.add(InteractionOutput.status(n));
        if (n.role() == Role.LEADER) {
            n.peers().forEach(p -> out.add(InteractionOutput.peer(n, p)));
        }
    }

    private void log(String id) {
        RaftNode n = net().node(id);
        for (long i = n.firstIndex(); i <= n.lastIndex(); i++) {
            LogEntry e = n.entry(i);
            out.add(InteractionOutput.entry(e) + (i <= n.commitIndex() ? " committed" : ""));
        }
        if (out.isEmpty()) {
            out.add("empty");
        }
    }

    // ------------------------------------------------------------------ observation

    /**
     * Writes down the messages sent since the last observation and the state fields that
     * changed, node by node in id order.
     */
    private void observe(String when) {
        List<Message> sent = net.sent.subList(sentSeen, net.sent.size());
        if (showMessages && !sent.isEmpty()) {
            Set<Message> inFlight = identitySet(net.inFlight());
            for (Message m : sent) {
                out.add("send " + InteractionOutput.message(m) + (inFlight.contains(m) ? "" : " [dropped]"));
            }
        } else {
            sent.forEach(m -> suppressed.merge(InteractionOutput.kind(m), 1, Integer::sum));
        }
        sentSeen = net.sent.size();
        for (String id : new TreeSet<>(states.keySet())) {
            InteractionOutput.NodeState now = InteractionOutput.NodeState.of(net.isUp(id) ? net.node(id) : null);
            String change = now.changesFrom(id, states.get(id));
            if (change != null) {
                out.add(change + when);
                states.put(id, now);
            }
        }
    }

    private List<String> liveIds() {
        List<String> ids = new ArrayList<>();
        for (String id : states.keySet()) {
            if (net.isUp(id)) {
                ids.add(id);
            }
        }
        return ids;
    }

    private Network net() {
        if (net == null) {
            throw new IllegalStateException("no cluster yet: a scenario starts with 'cluster n1 n2 n3'");
        }
        return net;
    }

    private static String one(List<String> args) {
        if (args.size() != 1) {
            throw new IllegalArgumentException("expected one node id, got " + args);
        }
        return args.get(0);
    }

    /** {@code a->b}, {@code a->*}, {@code *->b} and message type names, all of which must match. */
    static Predicate<Message> filter(List<String> args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("a filter is needed: from->to and/or a message type");
        }
        Predicate<Message> p = m -> true;
        for (String a : args) {
            int arrow = a.indexOf("->");
            if (arrow >= 0) {
                String from = a.substring(0, arrow);
                String to = a.substring(arrow + 2);
                p = p.and(m -> (from.equals("*") || m.from().equals(from)) && (to.equals("*") || m.to().equals(to)));
            } else if (MESSAGE_TYPES.contains(a)) {
                p = p.and(m -> m.getClass().getSimpleName().equals(a));
            } else {
                throw new IllegalArgumentException("'" + a + "' is neither from->to nor one of " + MESSAGE_TYPES);
            }
        }
        return p;
    }

    private static Set<Message> identitySet(List<Message> messages) {
        Set<Message> set = Collections.newSetFromMap(new IdentityHashMap<>());
        set.addAll(messages);
        return set;
    }
}
