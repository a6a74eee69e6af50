package io.raftboot.core.node;

import static org.assertj.core.api.Assertions.fail;

import io.raftboot.core.log.EntryType;
import io.raftboot.core.log.LogEntry;
import io.raftboot.core.message.AppendResponse;
import io.raftboot.core.message.Message;
import io.raftboot.core.message.SnapshotResponse;
import io.raftboot.core.message.VoteRequest;
import io.raftboot.core.message.VoteResponse;
import io.raftboot.core.storage.HardState;
import io.raftboot.core.storage.PersistentState;
import io.raftboot.core.storage.Snapshot;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A hand-driven cluster of {@link RaftNode}s for the protocol unit tests: the test decides when
 * each node ticks and which message is delivered, dropped or held back.
 *
 * <p>Every {@link Ready} is handled as its javadoc requires: persist (snapshot, entries, hard
 * state) to the node's in-memory {@link Disk}, restore the state machine, send, apply, advance.
 * Before a message leaves, the harness checks that what it promises is durable (a granted vote,
 * a self-vote, an acknowledged entry, the sender's term), and fails the test at once otherwise.
 *
 * <p>Every loop is bounded: a helper that does not reach its goal fails the test.
 */
final class Network {

    static final int MAX_DELIVERIES = 200_000;
    static final int MAX_READIES_PER_FLUSH = 10_000;

    /** One node's durable state: what the harness persisted from its Readies, in Ready order. */
    static final class Disk {
        HardState hardState;
        Snapshot snapshot;
        final List<LogEntry> entries = new ArrayList<>(); // from snapshot.lastIndex + 1 (or 1)

        Disk(PersistentState initial) {
            hardState = initial.hardState();
            snapshot = initial.snapshot();
            entries.addAll(initial.entries());
        }

        long snapshotIndex() {
            return snapshot == null ? 0 : snapshot.lastIndex();
        }

        long lastIndex() {
            return snapshotIndex() + entries.size();
        }

        /** Term of the durable entry at {@code index}, 0 for index 0, -1 if absent. */
        long term(long index) {
            if (index == 0) {
                return 0;
            }
            if (index == snapshotIndex()) {
                return snapshot.lastTerm();
            }
            if (index < snapshotIndex() || index > lastIndex()) {
                return -1;
            }
            return entries.get((int) (index - snapshotIndex() - 1)).term();
        }

        /** Storage.saveSnapshot semantics: keep the entries after it only if the log holds its last entry. */
        void saveSnapshot(Snapshot s) {
            if (term(s.lastIndex()) == s.lastTerm()) {
                entries.subList(0, (int) (s.lastIndex() - snapshotIndex())).clear();
            } else {
                entries.clear();
            }
            snapshot = s;
        }

        /** Storage.append semantics: entries at or after the first new index are replaced. */
        void append(List<LogEntry> batch) {
            long first = batch.get(0).index();
            if (first > lastIndex() + 1 || first <= snapshotIndex()) {
                fail("append of " + batch + " does not fit the durable log (snapshot " + snapshotIndex() + ", last "
                        + lastIndex() + ")");
            }
            entries.subList((int) (first - snapshotIndex() - 1), entries.size()).clear();
            entries.addAll(batch);
        }

        PersistentState load() {
            return new PersistentState(hardState, snapshot, List.copyOf(entries));
        }
    }

    private final ProtocolSettings config;
    private final long seed;
    private final TreeMap<String, RaftNode> live = new TreeMap<>();
    private final Map<String, Disk> disks = new HashMap<>();
    private final Map<String, Integer> incarnations = new HashMap<>();
    private final Map<String, List<Ready>> readies = new HashMap<>();
    private final Map<String, List<String>> stateMachines = new HashMap<>();
    private final Map<String, Long> stateMachineIndex = new HashMap<>();
    private final Map<String, List<ReadState>> readStates = new HashMap<>();
    private final Map<Long, String> leadersByTerm = new HashMap<>();
    /** Nodes that joined later, with the bootstrap settings they started with. */
    private final Map<String, ProtocolSettings> joinedWith = new HashMap<>();

    private final ArrayDeque<Message> inFlight = new ArrayDeque<>();
    private final List<Message> held = new ArrayList<>();
    private final Set<Message> releasedFromHold =
            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private final Set<String> isolated = new HashSet<>();
    private Predicate<Message> dropRule = m -> false;
    private Predicate<Message> holdRule = m -> false;
    /** Messages whose sender's Ready has been persisted, in send order (dropped ones included). */
    final List<Message> sent = new ArrayList<>();
    /** Messages handed to their recipient's {@code step}, in order. */
    final List<Message> delivered = new ArrayList<>();

    Network(ProtocolSettings config, long seed) {
        this(config, seed, Map.of());
    }

    Network(ProtocolSettings config, long seed, Map<String, PersistentState> initial) {
        this.config = config;
        this.seed = seed;
        for (String id : config.membership().all()) {
            disks.put(id, new Disk(initial.getOrDefault(id, PersistentState.EMPTY)));
            incarnations.put(id, 0);
            readies.put(id, new ArrayList<>());
            readStates.put(id, new ArrayList<>());
            start(id);
        }
    }

    /** Three voters a, b, c with the default config (T = 10 ticks, heartbeat 1, pre-vote, check-quorum). */
    static Network ofThree(long seed) {
        return new Network(ProtocolSettings.of(Membership.ofVoters("a", "b", "c")), seed);
    }

    /** {@link #ofThree} with "a" elected and one round of heartbeats acknowledged. */
    static Network ofThreeLedByA(long seed) {
        Network net = ofThree(seed);
        net.elect("a");
        net.tickAll();
        return net;
    }

    /** Ids of the live nodes that hold a valid leader lease right now. */
    List<String> leaseHolders() {
        List<String> holders = new ArrayList<>();
        for (RaftNode n : liveNodes()) {
            if (n.leaseValid()) {
                holders.add(n.id());
            }
        }
        return holders;
    }

    /** The raw config for ids, with T = 10 ticks, heartbeat 1, pre-vote and check-quorum on. */
    static ProtocolSettings threeVoters() {
        return ProtocolSettings.of(Membership.ofVoters("a", "b", "c"));
    }

    // ------------------------------------------------------------------ nodes

    ProtocolSettings config() {
        return config;
    }

    RaftNode node(String id) {
        RaftNode n = live.get(id);
        if (n == null) {
            fail("node " + id + " is not running (crashed?)");
        }
        return n;
    }

    boolean isUp(String id) {
        return live.containsKey(id);
    }

    Disk disk(String id) {
        return disks.get(id);
    }

    List<Ready> readies(String id) {
        return readies.get(id);
    }

    List<ReadState> readStates(String id) {
        return readStates.get(id);
    }

    /** Commands applied by the node's state machine (snapshot content, then NORMAL entries). */
    List<String> stateMachine(String id) {
        return stateMachines.get(id);
    }

    /** The single live leader of the highest term, or {@code null}. */
    RaftNode leader() {
        RaftNode best = null;
        for (RaftNode n : live.values()) {
            if (n.role() == Role.LEADER && (best == null || n.term() > best.term())) {
                best = n;
            }
        }
        return best;
    }

    List<RaftNode> leaders() {
        return live.values().stream().filter(n -> n.role() == Role.LEADER).collect(Collectors.toList());
    }

    Iterable<RaftNode> liveNodes() {
        return List.copyOf(live.values());
    }

    long maxTerm() {
        return live.values().stream().mapToLong(RaftNode::term).max().orElse(0);
    }

    private void start(String id) {
        int incarnation = incarnations.get(id);
        long nodeSeed = seed * 31 + id.hashCode() * 1_000_003L + incarnation;
        RaftNode n = new RaftNode(
                id, joinedWith.getOrDefault(id, config), disks.get(id).load(), new java.util.Random(nodeSeed));
        live.put(id, n);
        Snapshot s = disks.get(id).snapshot;
        stateMachines.put(id, s == null ? new ArrayList<>() : decode(s.data()));
        stateMachineIndex.put(id, s == null ? 0 : s.lastIndex());
    }

    /**
     * Starts a new, empty node that knows the cluster from its bootstrap membership (the
     * network's, with itself as a learner), as a new replica of a running cluster starts.
     */
    RaftNode join(String id) {
        Membership m = config.membership();
        java.util.Set<String> learners = new java.util.TreeSet<>(m.learners());
        learners.add(id);
        joinedWith.put(id, config.withMembership(new Membership(m.voters(), learners)));
        disks.put(id, new Disk(PersistentState.EMPTY));
        incarnations.put(id, 0);
        readies.put(id, new ArrayList<>());
        readStates.put(id, new ArrayList<>());
        start(id);
        return node(id);
    }

    /** The node stops; its volatile state and the messages addressed to it are lost, its disk is kept. */
    void crash(String id) {
        node(id);
        live.remove(id);
        inFlight.removeIf(m -> m.to().equals(id));
    }

    /** A new incarnation from what the crashed node had persisted. */
    RaftNode restart(String id) {
        if (live.containsKey(id)) {
            fail("restart of " + id + " which is running");
        }
        incarnations.merge(id, 1, Integer::sum);
        start(id);
        return node(id);
    }

    // ------------------------------------------------------------------ network faults

    /** Drops every message from or to the node (including those already in flight, at delivery). */
    void isolate(String id) {
        isolated.add(id);
    }

    void heal() {
        isolated.clear();
        dropRule = m -> false;
    }

    void heal(String id) {
        isolated.remove(id);
    }

    /** Drops messages matching the rule, when sent and when delivered. */
    void dropWhere(Predicate<Message> rule) {
        dropRule = dropRule.or(rule);
    }

    /** Keeps matching messages aside at delivery time until {@link #releaseHeld()}. */
    void holdWhere(Predicate<Message> rule) {
        holdRule = rule;
    }

    /** Stops holding, and puts the held messages back in flight (in their order). */
    void releaseHeld() {
        holdRule = m -> false;
        inFlight.addAll(held);
        held.clear();
    }

    /** Puts the held messages that match back in flight; the hold rule stays. */
    void releaseHeldWhere(Predicate<Message> which) {
        List<Message> released = new ArrayList<>();
        held.removeIf(m -> which.test(m) && released.add(m));
        releasedFromHold.addAll(released);
        inFlight.addAll(released);
    }

    /** Forgets the held messages (they are lost) and stops holding. */
    void discardHeld() {
        holdRule = m -> false;
        held.clear();
    }

    List<Message> held() {
        return List.copyOf(held);
    }

    List<Message> inFlight() {
        return List.copyOf(inFlight);
    }

    private boolean dropped(Message m) {
        return isolated.contains(m.from())
                || isolated.contains(m.to())
                || dropRule.test(m)
                || !live.containsKey(m.to());
    }

    // ------------------------------------------------------------------ driving

    /** Ticks the given nodes once each and handles their Readies; delivers nothing. */
    void tickOnly(String... ids) {
        for (String id : ids) {
            node(id).tick();
            flush(id);
        }
    }

    /** One round: every live node ticks once, then every message in flight is delivered. */
    void tickAll() {
        for (String id : List.copyOf(live.keySet())) {
            node(id).tick();
            flush(id);
        }
        deliverAll();
    }

    void tickAll(int rounds) {
        for (int i = 0; i < rounds; i++) {
            tickAll();
        }
    }

    /** Rounds of {@link #tickAll()} until the condition holds; fails after {@code maxRounds}. Returns the rounds used. */
    int tickUntil(BooleanSupplier condition, int maxRounds, String what) {
        for (int round = 0; round <= maxRounds; round++) {
            if (condition.getAsBoolean()) {
                return round;
            }
            if (round < maxRounds) {
                tickAll();
            }
        }
        return fail("after " + maxRounds + " rounds: " + what + " did not happen; " + this);
    }

    /** Handles every Ready the node has (persist, send, apply, advance). */
    void flush(String id) {
        RaftNode n = node(id);
        for (int i = 0; n.hasReady(); i++) {
            if (i > MAX_READIES_PER_FLUSH) {
                fail(id + " keeps producing Readies: " + n);
            }
            handle(id, n, n.ready());
        }
    }

    void flushAll() {
        for (String id : List.copyOf(live.keySet())) {
            flush(id);
        }
    }

    /** Delivers the oldest message in flight (or drops/holds it). Returns it, or null if none. */
    Message deliverNext() {
        Message m = inFlight.pollFirst();
        if (m == null) {
            return null;
        }
        deliver(m);
        return m;
    }

    /** Steps one message into its recipient unless it is dropped or held. */
    void deliver(Message m) {
        if (dropped(m)) {
            return;
        }
        if (!releasedFromHold.remove(m) && holdRule.test(m)) {
            held.add(m);
            return;
        }
        delivered.add(m);
        node(m.to()).step(m);
        flush(m.to());
    }

    /** Delivers until nothing is in flight; fails if the cluster keeps talking forever. */
    int deliverAll() {
        flushAll();
        int n = 0;
        while (!inFlight.isEmpty()) {
            if (++n > MAX_DELIVERIES) {
                fail("messages never stop: " + inFlight.peekFirst());
            }
            deliverNext();
        }
        return n;
    }

    /** Delivers (in order) the messages in flight that match; the others stay in flight. */
    void deliverWhere(Predicate<Message> which) {
        List<Message> chosen = new ArrayList<>();
        inFlight.removeIf(m -> which.test(m) && chosen.add(m));
        chosen.forEach(this::deliver);
    }

    /** Removes from flight, without delivering, the messages that match. */
    List<Message> discardWhere(Predicate<Message> which) {
        List<Message> gone = new ArrayList<>();
        inFlight.removeIf(m -> which.test(m) && gone.add(m));
        return gone;
    }

    /**
     * Elects {@code target} from a cluster without a reachable leader: all live nodes tick in
     * rounds, but what the others send because of a tick (their own campaigns) is discarded, so
     * the target is the only candidate heard. Delivers everything once it leads.
     */
    void elect(String target) {
        int maxRounds = 50 * config.electionTicks();
        for (int round = 0; round < maxRounds; round++) {
            for (String id : List.copyOf(live.keySet())) {
                RaftNode n = node(id);
                if (!id.equals(target) && n.role() == Role.LEADER && !isolated.contains(id)) {
                    fail("elect(" + target + ") but " + id + " leads and is reachable: " + this);
                }
                n.tick();
                int before = inFlight.size();
                flush(id);
                if (!id.equals(target)) {
                    while (inFlight.size() > before) {
                        inFlight.pollLast();
                    }
                }
            }
            deliverAll();
            if (node(target).role() == Role.LEADER) {
                deliverAll();
                return;
            }
        }
        fail("could not elect " + target + " within " + maxRounds + " rounds: " + this);
    }

    /** Proposes a command on the node and handles its Ready (delivers nothing). */
    long propose(String id, String command) {
        long index = node(id).propose(command.getBytes(StandardCharsets.UTF_8));
        flush(id);
        return index;
    }

    /** Takes a snapshot of the node's applied state at its applied index, persists it, compacts. */
    Snapshot compact(String id) {
        RaftNode n = node(id);
        long index = n.appliedIndex();
        Snapshot s = n.snapshotAt(index, encode(stateMachines.get(id)));
        disks.get(id).saveSnapshot(s);
        n.compact(s);
        return s;
    }

    // ------------------------------------------------------------------ Ready handling

    private void handle(String id, RaftNode n, Ready r) {
        checkOneLeaderPerTerm(n); // a leader before this Ready is written must not need what it writes
        readies.get(id).add(r);
        Disk disk = disks.get(id);
        if (r.sendBeforePersist()) {
            send(id, disk, r);
        }
        // 1. persist: snapshot, entries, hard state
        if (r.snapshot() != null) {
            disk.saveSnapshot(r.snapshot());
        }
        if (!r.entries().isEmpty()) {
            disk.append(r.entries());
        }
        if (r.hardState() != null) {
            disk.hardState = r.hardState();
        }
        // 2. restore the state machine
        if (r.snapshot() != null) {
            stateMachines.put(id, decode(r.snapshot().data()));
            stateMachineIndex.put(id, r.snapshot().lastIndex());
        }
        // 3. send, only what the disk backs
        if (!r.sendBeforePersist()) {
            send(id, disk, r);
        }
        // 4. apply, in order, each index once
        for (LogEntry e : r.committedEntries()) {
            long expected = stateMachineIndex.get(id) + 1;
            if (e.index() != expected) {
                fail(id + " was asked to apply " + e + " but its state machine is at " + (expected - 1));
            }
            if (e.index() > disk.hardState.commit() && e.index() > disk.snapshotIndex()) {
                fail(id + " applies " + e + " beyond its durable commit index " + disk.hardState.commit());
            }
            if (e.type() == EntryType.NORMAL) {
                stateMachines.get(id).add(new String(e.data(), StandardCharsets.UTF_8));
            }
            stateMachineIndex.put(id, e.index());
        }
        readStates.get(id).addAll(r.readStates());
        n.advance(r);
        checkOneLeaderPerTerm(n);
    }

    /**
     * §5.2: a leader won a majority of votes that survive a crash: granted votes only leave once
     * durable (checkDurable), and its own counts only if its disk holds it.
     */
    private void checkElectedByDurableVotes(RaftNode n) {
        java.util.Set<String> voters = new java.util.HashSet<>();
        for (Message m : sent) {
            if (m instanceof VoteResponse vr
                    && vr.granted()
                    && !vr.preVote()
                    && vr.to().equals(n.id())
                    && vr.term() == n.term()) {
                voters.add(vr.from());
            }
        }
        HardState own = disks.get(n.id()).hardState;
        if (own.term() == n.term() && n.id().equals(own.votedFor())) {
            voters.add(n.id());
        }
        // The configuration it was elected in: the latest in its log (thesis §4.1).
        voters.retainAll(n.membership().voters());
        if (voters.size() < n.membership().quorum()) {
            fail(n.id() + " leads term " + n.term() + " with durable votes of " + voters + " only");
        }
    }

    /** Election safety (Figure 3): at most one leader per term, over the whole run. */
    private void checkOneLeaderPerTerm(RaftNode n) {
        if (n.role() == Role.LEADER) {
            if (!n.id().equals(leadersByTerm.get(n.term()))) {
                checkElectedByDurableVotes(n);
            }
            String previous = leadersByTerm.putIfAbsent(n.term(), n.id());
            if (previous != null && !previous.equals(n.id())) {
                fail("two leaders in term " + n.term() + ": " + previous + " and " + n.id());
            }
        }
    }

    /** What a message promises must already be on the sender's disk (Raft §5.1, Figure 2). */
    private void send(String id, Disk disk, Ready r) {
        for (Message m : r.messages()) {
            checkDurable(id, disk, m, r.sendBeforePersist());
            sent.add(m);
            if (!m.from().equals(id)) {
                fail(id + " sent a message as " + m.from() + ": " + m);
            }
            if (!dropped(m)) {
                inFlight.addLast(m);
            }
        }
    }

    /** @param early sent before the Ready was written ({@link Ready#sendBeforePersist()}) */
    private static void checkDurable(String id, Disk disk, Message m, boolean early) {
        HardState hs = disk.hardState;
        if (m instanceof VoteRequest vr) {
            if (vr.preVote()) {
                if (vr.term() != hs.term() + 1) {
                    fail(id + " sent a pre-vote for term " + vr.term() + " while its durable term is " + hs.term());
                }
            } else if (!early && (hs.term() != vr.term() || !id.equals(hs.votedFor()))) {
                fail(id + " sent " + vr + " after writing a Ready without its self-vote: durable " + hs);
            }
            // An early request leaves while the new term and self-vote are being written: the
            // candidate's own vote counts only once durable (checkElectedByDurableVotes).
            return;
        }
        if (m instanceof VoteResponse vr && vr.preVote() && vr.granted()) {
            return; // carries the term the pre-candidate would use
        }
        if (early && m instanceof VoteResponse vr && !vr.granted()) {
            return; // a candidate's refusal promises nothing
        }
        if (hs.term() < m.term()) {
            fail(id + " sent " + m + " before persisting term " + m.term() + ": durable " + hs);
        }
        if (m instanceof VoteResponse vr
                && vr.granted()
                && (hs.term() != vr.term() || !vr.to().equals(hs.votedFor()))) {
            fail(id + " granted its vote in " + vr + " before persisting it: durable " + hs);
        }
        if (m instanceof AppendResponse ar && ar.success() && disk.lastIndex() < ar.matchIndex()) {
            fail(id + " acknowledged up to " + ar.matchIndex() + " but its durable log ends at " + disk.lastIndex());
        }
        if (m instanceof SnapshotResponse sr && disk.lastIndex() < sr.matchIndex()) {
            fail(id + " acknowledged a snapshot up to " + sr.matchIndex() + " but its disk ends at "
                    + disk.lastIndex());
        }
    }

    // ------------------------------------------------------------------ helpers for tests

    /** The node's log as a list of terms, from its first retained index to its last. */
    static List<Long> terms(RaftNode n) {
        List<Long> terms = new ArrayList<>();
        for (long i = n.firstIndex(); i <= n.lastIndex(); i++) {
            terms.add(n.entry(i).term());
        }
        return terms;
    }

    /** Entries 1..terms.length with those terms (NORMAL, data "e<index>"). */
    static List<LogEntry> logOfTerms(long... terms) {
        List<LogEntry> log = new ArrayList<>();
        for (int i = 0; i < terms.length; i++) {
            log.add(new LogEntry(i + 1, terms[i], EntryType.NORMAL, ("e" + (i + 1)).getBytes(StandardCharsets.UTF_8)));
        }
        return log;
    }

    static PersistentState persisted(long term, long... logTerms) {
        return new PersistentState(new HardState(term, null, 0), null, logOfTerms(logTerms));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] encode(List<String> commands) {
        return String.join("\n", commands).getBytes(StandardCharsets.UTF_8);
    }

    static List<String> decode(byte[] data) {
        String s = new String(data, StandardCharsets.UTF_8);
        return s.isEmpty() ? new ArrayList<>() : new ArrayList<>(Arrays.asList(s.split("\n", -1)));
    }

    /**
     * Stand-alone driving of one node (no network): steps a message, then handles its Readies
     * the way {@link Network} does, and returns them.
     */
    static List<Ready> stepAlone(RaftNode n, Message m) {
        n.step(m);
        return drain(n);
    }

    /** Handles (without persisting anywhere) every Ready of a stand-alone node; returns them. */
    static List<Ready> drain(RaftNode n) {
        List<Ready> out = new ArrayList<>();
        for (int i = 0; n.hasReady(); i++) {
            if (i > MAX_READIES_PER_FLUSH) {
                fail(n + " keeps producing Readies");
            }
            Ready r = n.ready();
            out.add(r);
            n.advance(r);
        }
        return out;
    }

    static List<Message> messages(List<Ready> rs) {
        return rs.stream().flatMap(r -> r.messages().stream()).collect(Collectors.toList());
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Network[");
        for (String id : disks.keySet().stream().sorted().toList()) {
            RaftNode n = live.get(id);
            sb.append(n == null ? id + " DOWN" : n.toString());
            if (isolated.contains(id)) {
                sb.append(" (isolated)");
            }
            sb.append("; ");
        }
        return sb.append("in flight ").append(inFlight.size()).append(']').toString();
    }
}
