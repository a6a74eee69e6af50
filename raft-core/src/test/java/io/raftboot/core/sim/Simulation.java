package io.raftboot.core.sim;

import io.raftboot.core.log.EntryType;
import io.raftboot.core.log.LogEntry;
import io.raftboot.core.message.Message;
import io.raftboot.core.node.HeldRole;
import io.raftboot.core.node.Membership;
import io.raftboot.core.node.MembershipChange;
import io.raftboot.core.node.NotLeaderException;
import io.raftboot.core.node.ProtocolSettings;
import io.raftboot.core.node.RaftNode;
import io.raftboot.core.node.ReadState;
import io.raftboot.core.node.Ready;
import io.raftboot.core.node.Role;
import io.raftboot.core.sim.InvariantChecker.InvariantViolation;
import io.raftboot.core.storage.PersistentState;
import io.raftboot.core.storage.Snapshot;
import io.raftboot.core.store.ConfigCommand;
import io.raftboot.core.store.ConfigStore;
import io.raftboot.core.store.VersionedValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A seeded, virtual-time run of a whole cluster of {@link RaftNode}s: a simulated network and
 * disks, crashes (also in the middle of a write), restarts, partitions, clock drift, client
 * writes, compare-and-sets, linearizable reads, leadership transfers and log compaction. After
 * every event the {@link InvariantChecker} runs. Then all faults heal and a leader must be agreed
 * and a write must reach every node within a bounded time.
 */
final class Simulation {

    /** Nominal tick period in virtual time units. */
    static final long P = 1000;

    private static final double TORN_WRITE_CRASH_RATE = 0.002;

    private record Event(long time, long seq, Runnable action) {}

    private record Proposal(long term, byte[] command) {}

    private record PendingRead(long requestId, long mustCoverIndex) {}

    private final class SimNode {
        final String id;
        final SimDisk disk = new SimDisk();
        int incarnation;
        boolean up;
        RaftNode raft;
        ConfigStore sm;
        long period;
        long lastApplied;
        long maxConfigVersion;
        final Map<Long, Proposal> proposals = new HashMap<>();
        final Map<Long, PendingRead> reads = new HashMap<>();
        final List<long[]> readsToServe = new ArrayList<>(); // {requestId, index, mustCover}
        /** Virtual time at which each tick of this incarnation started (index = tick number; 0 = boot). */
        final List<Long> tickTimes = new ArrayList<>();
        /** What isLeader() reads (see {@link PublishedStatus}). */
        PublishedStatus published = PublishedStatus.NONE;
        /** The driver is paused (GC, SIGSTOP, slow fsync) until then: no tick, no message handled. */
        long pausedUntil;
        /** A pause freezes the node's ticks, so its tick lease no longer measures real time (the published one does). */
        boolean pausedThisIncarnation;

        /** The bootstrap settings it starts with: a spare that joins knows the cluster it joins. */
        ProtocolSettings settings;
        /** The commit index last checked against the configuration's quorum. */
        long checkedCommit;
        /** A spare node exists from the start but runs only once the leader adds it. */
        boolean everStarted;

        SimNode(String id) {
            this.id = id;
        }
    }

    private final SimOptions options;
    private final SplittableRandom random;
    private final PriorityQueue<Event> queue =
            new PriorityQueue<>(Comparator.comparingLong(Event::time).thenComparingLong(Event::seq));
    private final TreeMap<String, SimNode> nodes = new TreeMap<>();
    private final List<String> voterIds = new ArrayList<>();
    /** Nodes outside the initial membership, for the leader to add (membership-change runs only). */
    private final java.util.Set<String> spares = new java.util.TreeSet<>();

    private final ProtocolSettings config;
    private final SimNetwork network;
    private final InvariantChecker checker = new InvariantChecker();
    private final TraceDigest trace = new TraceDigest();
    private final StabilityChecker stability;
    /** Pauses draw from their own stream, so the other faults of a seed stay where they were. */
    private final SplittableRandom pauseRandom;
    /** Clients with sessions on every node; their own random stream, so faults are drawn as before. */
    private final SessionClients sessionClients;
    /** Named roles (issue 16): what nodes offer, and the check of their holders; null without roles. */
    private final SimRoles roles;

    private final RoleChecker roleChecker = new RoleChecker();

    private final int compactEvery;
    private long now;
    private long seq;
    private long commandIds;
    private long readIds;
    private boolean chaos = true;
    private long elections;
    private long membershipChanges;

    Simulation(SimOptions options) {
        this.options = options;
        this.random = new SplittableRandom(options.seed());
        this.pauseRandom = new SplittableRandom(options.seed() * 0x632BE59BD9B4E019L + 1);
        List<String> learnerIds = new ArrayList<>();
        for (int i = 1; i <= options.voters(); i++) {
            voterIds.add("n" + i);
        }
        for (int i = 1; i <= options.learners(); i++) {
            learnerIds.add("l" + i);
        }
        Membership membership = new Membership(java.util.Set.copyOf(voterIds), java.util.Set.copyOf(learnerIds));
        this.config = ProtocolSettings.of(membership)
                .withTicks(10, 2)
                .withBatching(8, 3)
                .withPreVote(options.preVote())
                .withCheckQuorum(options.checkQuorum());
        this.network = new SimNetwork(random, P);
        this.compactEvery = 10 + random.nextInt(40);
        // Settled: an election timeout of the slowest clock, two message delays, a tick of margin.
        long maxPeriod = (long) Math.floor(P / Math.sqrt(1 - options.maxDrift()));
        long settle = config.electionTicks() * maxPeriod + 2 * network.maxLatency + P;
        this.stability = new StabilityChecker(
                options.preVote(), options.checkQuorum(), settle, network.maxLatency, membership.quorum());
        for (String id : membership.all()) {
            SimNode n = new SimNode(id);
            n.disk.forgetVotes = options.forgetVotes();
            nodes.put(id, n);
        }
        this.sessionClients = new SessionClients(
                new ClientHost(new SplittableRandom(options.seed() * 0x9E3779B97F4A7C15L + 7)),
                new SplittableRandom(options.seed() * 0xC2B2AE3D27D4EB4FL + 3),
                P,
                new ArrayList<>(nodes.keySet()));
        this.roles = options.roles() ? new SimRoles(options.seed()) : null;
        if (options.membershipChanges()) {
            for (String id : List.of("s1", "s2")) {
                spares.add(id);
                nodes.put(id, new SimNode(id));
            }
        }
    }

    /** Runs the seed; returns a one-line summary or throws {@link InvariantViolation}. */
    String run() {
        nodes.values().stream().filter(n -> !spares.contains(n.id)).forEach(this::start);
        long chaosEnd = options.chaosTicks() * P;
        scheduleFaults(chaosEnd);
        if (options.membershipChanges()) {
            for (long t = (20 + random.nextInt(20)) * P; t < chaosEnd; t += (10 + random.nextInt(40)) * P) {
                queue.add(new Event(t, seq++, this::changeMembership));
            }
        }
        scheduleClients(P, chaosEnd);
        if (roles != null) {
            for (long t = roles.gapTicks() * P; t < chaosEnd; t += roles.gapTicks() * P) {
                queue.add(new Event(t, seq++, this::changeRoleOffer));
            }
        }
        sessionClients.start();
        runUntil(chaosEnd);
        sessionClients.stop();
        heal();
        long deadline = now + options.healTicks() * P;
        RaftNode leader = awaitAgreedLeader(deadline);
        awaitFinalWriteEverywhere(leader, deadline);
        if (roles != null && options.checkQuorum()) {
            // Without check-quorum there is no lease, so no echo proves a role: none is ever held.
            awaitRolesHeldAndBalanced(deadline);
        }
        for (SimNode n : members(nodes.get(leader.id()))) {
            checker.checkAckedWritesApplied(n.id, n.lastApplied);
        }
        String summary =
                "seed " + options.seed() + ": " + options.voters() + " voters, " + options.learners() + " learners, "
                        + elections + " leader elections, " + checker.ackedCount() + " acknowledged writes, "
                        + sessionClients.checkLinearizable()
                        + (roles == null ? "" : ", " + roleChecker.grantsHeld() + " role grants held");
        runMinorityFaults();
        return summary + String.format(", trace %016x", trace.value());
    }

    // ------------------------------------------------------------------ minority faults (stability)

    /**
     * The last phase: the cluster agreed on a leader; now only nodes of a fixed minority (never
     * the leader) crash, are partitioned, stop hearing the leader (one way: their own messages
     * still arrive, so their campaigns reach the majority), go deaf, or flap, while clients
     * write. No transfers, no loss. A leader steadily in touch with the majority must stay
     * ({@link StabilityChecker}); every other invariant is checked as before.
     */
    private void runMinorityFaults() {
        if (options.minorityFaultTicks() <= 0) {
            return;
        }
        SimNode leader = currentLeader();
        List<String> others = new ArrayList<>(nodes.keySet());
        others.remove(leader.id);
        java.util.Collections.shuffle(others, new java.util.Random(random.nextLong()));
        int minorityVoters = options.voters() - config.membership().quorum();
        List<String> minority = new ArrayList<>();
        for (String id : others) {
            if (voterIds.contains(id)
                    ? minority.stream().filter(voterIds::contains).count() < minorityVoters
                    : random.nextBoolean()) {
                minority.add(id);
            }
        }
        long end = now + options.minorityFaultTicks() * P;
        if (!minority.isEmpty()) {
            for (long t = now + (1 + random.nextInt(10)) * P; t < end; t += (5 + random.nextInt(30)) * P) {
                queue.add(new Event(t, seq++, () -> injectMinorityFault(minority)));
            }
        }
        if (random.nextBoolean()) {
            scheduleClients(now + P, end); // half the runs write (the minority's logs fall behind), half idle
        }
        runUntil(end);
    }

    private void injectMinorityFault(List<String> minority) {
        SimNode victim = nodes.get(minority.get(random.nextInt(minority.size())));
        SimNode leader = currentLeader();
        long healAfter = (5 + random.nextInt(60)) * P;
        switch (random.nextInt(6)) {
            case 0 -> {
                if (victim.up) {
                    crash(victim);
                    scheduleRestart(victim);
                }
            }
            case 1 -> {
                for (String other : nodes.keySet()) {
                    if (!other.equals(victim.id)) {
                        network.block(victim.id, other);
                        network.block(other, victim.id);
                    }
                }
                schedule(healAfter, () -> unblockAll(victim.id));
            }
            case 2, 3 -> {
                if (leader != null) {
                    network.block(leader.id, victim.id); // cannot hear the leader; everyone hears it
                    schedule(healAfter, () -> network.unblock(leader.id, victim.id));
                }
            }
            case 4 -> {
                for (String other : nodes.keySet()) {
                    network.block(other, victim.id); // deaf
                }
                schedule(healAfter, () -> unblockAll(victim.id));
            }
            default -> {
                // Flapping link from the leader: down long enough to time out, up a moment, again.
                if (leader != null) {
                    long t = 0;
                    while (t < healAfter) {
                        long down = (5 + random.nextInt(20)) * P;
                        long up = (1 + random.nextInt(3)) * P;
                        schedule(t, () -> network.block(leader.id, victim.id));
                        schedule(t + down, () -> network.unblock(leader.id, victim.id));
                        t += down + up;
                    }
                }
            }
        }
    }

    private void unblockAll(String id) {
        for (String other : nodes.keySet()) {
            network.unblock(id, other);
            network.unblock(other, id);
        }
    }

    /** Virtual ticks of this run in which the stability check claimed a leader must stay (see {@link StabilityChecker}). */
    /** Operations in the session clients' history (checked at the end of {@link #run()}). */
    long clientOperations() {
        return sessionClients.history().size();
    }

    /** Membership changes the leader made (promotions of caught-up learners not counted). */
    long membershipChanges() {
        return membershipChanges;
    }

    long stabilityCheckedTicks() {
        return stability.protectedTime() / P;
    }

    // ------------------------------------------------------------------ event loop

    private void schedule(long delay, Runnable action) {
        queue.add(new Event(now + delay, seq++, action));
    }

    private void runUntil(long time) {
        while (!queue.isEmpty() && queue.peek().time() <= time) {
            Event e = queue.poll();
            now = e.time();
            e.action().run();
            List<RaftNode> live = new ArrayList<>();
            List<RaftNode> tickLeases = new ArrayList<>();
            for (SimNode n : nodes.values()) {
                if (n.up) {
                    live.add(n.raft);
                    if (!n.pausedThisIncarnation) {
                        tickLeases.add(n.raft);
                    }
                }
            }
            checker.afterEvent(live, tickLeases);
            checkPublishedLeases();
            if (roles != null) {
                Map<String, PublishedStatus> published = new TreeMap<>();
                nodes.values().stream().filter(n -> n.up).forEach(n -> published.put(n.id, n.published));
                roleChecker.afterEvent(published, now);
            }
            if (!options.membershipChanges()) {
                checkStability(); // it assumes fixed voters
            }
        }
        now = time;
    }

    /** Lease safety as the application sees it: no two nodes' isLeader() true at the same instant. */
    private void checkPublishedLeases() {
        SimNode holder = null;
        for (SimNode n : nodes.values()) {
            if (n.up && n.published.holdsLeaseAt(now)) {
                if (holder != null) {
                    throw new InvariantViolation(
                            "lease as the application sees it: isLeader() is true on both " + holder.id
                                    + " (term " + holder.published.term() + ", until " + holder.published.leaseUntil()
                                    + ") and "
                                    + n.id + " (term " + n.published.term() + ", until " + n.published.leaseUntil()
                                    + ") at " + now
                                    + (holder.pausedUntil > now || n.pausedUntil > now ? " (a node is paused)" : ""));
                }
                holder = n;
            }
        }
    }

    private void checkStability() {
        for (SimNode n : nodes.values()) {
            if (n.pausedUntil > now) {
                stability.disturb(now); // a paused node may rightly lose its leadership or its stickiness
            }
        }
        List<StabilityChecker.NodeState> states = new ArrayList<>(nodes.size());
        for (SimNode n : nodes.values()) {
            states.add(new StabilityChecker.NodeState(
                    n.id, voterIds.contains(n.id), n.up, n.incarnation, n.raft, n.disk.hardState.term()));
        }
        SimNode leader = currentLeader();
        stability.afterEvent(now, states, leader == null ? null : leader.raft, network.lossRate > 0, network::linkUp);
    }

    // ------------------------------------------------------------------ nodes

    private void start(SimNode n) {
        n.incarnation++;
        n.up = true;
        // Clock drift: each incarnation's clock runs faster or slower than nominal, any two
        // within the configured bound of each other: tick periods in [P sqrt(1-d), P / sqrt(1-d)].
        double spread = Math.sqrt(1 - options.maxDrift());
        long minPeriod = (long) Math.ceil(P * spread);
        long maxPeriod = (long) Math.floor(P / spread);
        n.period = minPeriod + random.nextLong(maxPeriod - minPeriod + 1);
        n.tickTimes.clear();
        n.tickTimes.add(now);
        n.published = PublishedStatus.NONE;
        n.pausedUntil = 0;
        n.pausedThisIncarnation = false;
        n.sm = new ConfigStore();
        PersistentState state = n.disk.load();
        if (state.snapshot() != null) {
            n.sm.restore(state.snapshot().data());
        }
        n.lastApplied = state.snapshot() == null ? 0 : state.snapshot().lastIndex();
        n.everStarted = true;
        n.raft = new RaftNode(
                n.id, n.settings != null ? n.settings : config, state, new SplittableRandom(random.nextLong()));
        if (roles != null) {
            n.raft.offerRoles(roles.offerOf(n.id));
        }
        processReady(n);
        int incarnation = n.incarnation;
        schedule(random.nextLong(n.period), () -> tick(n, incarnation));
    }

    private void crash(SimNode n) {
        sessionClients.onCrash(n.id);
        // Crash-fast detection: the kernel closes a dead process's connections, so most peers
        // learn at once (after a network delay) that it is gone.
        for (SimNode peer : nodes.values()) {
            if (options.preVote() && peer != n && peer.up && random.nextDouble() < 0.8) {
                reportGone(peer, n.id, network.latency());
            }
        }
        n.up = false;
        n.published = PublishedStatus.NONE; // the process is gone, and isLeader() with it
        n.pausedUntil = 0;
        n.raft = null;
        n.sm = null;
        n.proposals.clear(); // their clients time out: not acknowledged
        n.reads.clear();
        n.readsToServe.clear();
    }

    private void tick(SimNode n, int incarnation) {
        if (!n.up || n.incarnation != incarnation) {
            return;
        }
        if (deferIfPaused(n, () -> tick(n, incarnation))) {
            return;
        }
        QuietTickOracle.tick(n.raft);
        n.tickTimes.add(now);
        processReady(n);
        if (n.up && n.incarnation == incarnation) {
            schedule(n.period, () -> tick(n, incarnation));
        }
    }

    /** The driver's crash-fast report to {@code n} that {@code gone}'s process is gone (true or not). */
    private void reportGone(SimNode n, String gone, long delay) {
        int incarnation = n.incarnation;
        schedule(delay, () -> report(n, incarnation, gone));
    }

    private void report(SimNode n, int incarnation, String gone) {
        if (!n.up || n.incarnation != incarnation || deferIfPaused(n, () -> report(n, incarnation, gone))) {
            return;
        }
        if (gone.equals(n.raft.leaderId())) {
            stability.disturb(now); // the voter may rightly stop being sticky to its leader
        }
        n.raft.peerUnreachable(gone);
        processReady(n);
    }

    private void deliver(Message m) {
        SimNode n = nodes.get(m.to());
        if (n.up && !deferIfPaused(n, () -> deliver(m))) {
            n.raft.step(m);
            processReady(n);
        }
    }

    /** The driver's duty per Ready (see {@link Ready}): persist, send, apply, advance. */
    private void processReady(SimNode n) {
        while (n.up && n.raft.hasReady()) {
            Ready r = n.raft.ready();
            trace.add(now, n.id, r);
            publishIfLeaseShrank(n);
            if (r.sendBeforePersist()) {
                send(r);
                maybePauseAfterSending(n, r);
            }
            if (r.mustPersist() && chaos && random.nextDouble() < TORN_WRITE_CRASH_RATE) {
                persistPrefixAndCrash(n, r);
                return;
            }
            if (r.snapshot() != null) {
                n.disk.saveSnapshot(r.snapshot());
            }
            if (!r.entries().isEmpty()) {
                n.disk.append(r.entries());
                for (LogEntry e : r.entries()) {
                    checker.onPersisted(n.id, e, n.disk.term(e.index() - 1));
                }
            }
            if (r.hardState() != null) {
                n.disk.saveHardState(r.hardState());
            }
            if (r.snapshot() != null) {
                n.sm.restore(r.snapshot().data());
                n.lastApplied = r.snapshot().lastIndex();
                checker.onSnapshotRestored(n.id, n.lastApplied);
            }
            if (!r.sendBeforePersist()) {
                send(r);
                maybePauseAfterSending(n, r);
            }
            for (LogEntry e : r.committedEntries()) {
                apply(n, e);
            }
            for (ReadState rs : r.readStates()) {
                if (sessionClients.onReadState(rs.requestId(), rs.index(), rs.ok())) {
                    continue;
                }
                PendingRead read = n.reads.remove(rs.requestId());
                if (read != null && rs.ok()) {
                    n.readsToServe.add(new long[] {rs.requestId(), rs.index(), read.mustCoverIndex()});
                }
            }
            serveReads(n);
            long commitBefore = n.checkedCommit;
            n.raft.advance(r);
            if (options.membershipChanges()) {
                checkCommitBackedByQuorum(n, commitBefore);
                n.checkedCommit = n.raft.commitIndex();
            }
            if (r.softState() != null && r.softState().role() == Role.LEADER) {
                elections++;
                checker.onLeader(n.raft);
            }
            maybeCompact(n);
        }
        if (n.up) {
            publishAfterReady(n);
            long version = n.sm.configVersion();
            if (version < n.maxConfigVersion) {
                throw new InvariantViolation(
                        "configVersion went back on " + n.id + ": " + n.maxConfigVersion + " -> " + version);
            }
            n.maxConfigVersion = version;
        }
    }

    // ------------------------------------------------------------------ the driver's published status

    /**
     * The driver's lease deadline ({@code RaftLoop.leaseValidUntilNanos}) in virtual time: the
     * start of the tick whose heartbeat a quorum acknowledged, plus the lease in this node's ticks.
     */
    private long leaseUntil(SimNode n) {
        long start = n.raft.leaseStartTick();
        return start < 0 ? Long.MIN_VALUE : n.tickTimes.get((int) start) + config.leaseTicks() * n.period;
    }

    private void publish(SimNode n) {
        n.published = new PublishedStatus(n.raft.role(), n.raft.term(), leaseUntil(n), roleHolds(n));
    }

    /** The driver's role deadlines ({@code StatusPublisher}) in virtual time, like {@link #leaseUntil}. */
    private Map<String, PublishedStatus.RoleHold> roleHolds(SimNode n) {
        Map<String, PublishedStatus.RoleHold> holds = new TreeMap<>();
        for (HeldRole h : n.raft.heldRoles()) {
            holds.put(
                    h.role(),
                    new PublishedStatus.RoleHold(
                            h.token(), n.tickTimes.get((int) h.startTick()) + h.ticks() * n.period));
        }
        return holds;
    }

    /** Whether a role published as held is no longer held, or ends earlier (a release). */
    private boolean rolesShrank(SimNode n) {
        Map<String, PublishedStatus.RoleHold> now = roleHolds(n);
        for (Map.Entry<String, PublishedStatus.RoleHold> e : n.published.roles().entrySet()) {
            PublishedStatus.RoleHold after = now.get(e.getKey());
            if (after == null
                    || after.token() != e.getValue().token()
                    || after.until() < e.getValue().until()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The fixed rule ({@link SimOptions#publishBeforeSendWhenLeaseShrinks()}): before any message
     * of a Ready leaves, a status whose lease shrank (its start dropped, the role or term
     * changed) is published, since a message (TimeoutNow, a vote) may let another node start a lease.
     */
    private void publishIfLeaseShrank(SimNode n) {
        PublishedStatus p = n.published;
        if (options.publishBeforeSendWhenLeaseShrinks()
                && p.role() == Role.LEADER
                && (n.raft.role() != Role.LEADER || n.raft.term() != p.term() || leaseUntil(n) < p.leaseUntil())) {
            publish(n);
        } else if (options.publishBeforeSendWhenLeaseShrinks() && !p.roles().isEmpty() && rolesShrank(n)) {
            publish(n); // as StatusPublisher: a release may let the leader move the role
        }
    }

    /** RaftLoop.afterReady: the status is published once the Ready's work is done, or when a pause ends. */
    private void publishAfterReady(SimNode n) {
        if (n.pausedUntil <= now) {
            publish(n);
            return;
        }
        int incarnation = n.incarnation;
        schedule(n.pausedUntil - now, () -> {
            if (n.up && n.incarnation == incarnation && n.pausedUntil <= now) {
                publish(n);
            }
        });
    }

    /**
     * A pause right after a Ready's messages left and before its status is published (a slow
     * fsync, a GC, SIGSTOP): often after a TimeoutNow, the case that two lease-holders needs.
     */
    private void maybePauseAfterSending(SimNode n, Ready r) {
        if (!chaos || r.messages().isEmpty()) {
            return;
        }
        boolean timeoutNow = r.messages().stream().anyMatch(m -> m instanceof io.raftboot.core.message.TimeoutNow);
        if (pauseRandom.nextDouble() < (timeoutNow ? 0.5 : 0.002)) {
            pause(n, (1 + pauseRandom.nextInt(15)) * P);
        }
    }

    private void pause(SimNode n, long duration) {
        n.pausedUntil = Math.max(n.pausedUntil, now + duration);
        n.pausedThisIncarnation = true;
        stability.disturb(now);
    }

    /** While the node is paused, an event for it waits until the pause ends. */
    private boolean deferIfPaused(SimNode n, Runnable action) {
        if (n.pausedUntil <= now) {
            return false;
        }
        schedule(n.pausedUntil - now, action);
        return true;
    }

    private void send(Ready r) {
        for (Message m : r.messages()) {
            int copies = network.copies(m.from(), m.to());
            for (int c = 0; c < copies; c++) {
                schedule(network.latency(), () -> deliver(m));
            }
        }
    }

    /** A crash in the middle of a Ready: only a prefix of its writes reached the disk. */
    private void persistPrefixAndCrash(SimNode n, Ready r) {
        List<Runnable> writes = new ArrayList<>();
        if (r.snapshot() != null) {
            writes.add(() -> n.disk.saveSnapshot(r.snapshot()));
        }
        for (LogEntry e : r.entries()) {
            writes.add(() -> {
                n.disk.append(List.of(e));
                checker.onPersisted(n.id, e, n.disk.term(e.index() - 1));
            });
        }
        if (r.hardState() != null) {
            writes.add(() -> n.disk.saveHardState(r.hardState()));
        }
        int keep = random.nextInt(writes.size());
        writes.subList(0, keep).forEach(Runnable::run);
        crash(n);
        scheduleRestart(n);
    }

    private void apply(SimNode n, LogEntry e) {
        if (e.index() != n.lastApplied + 1) {
            throw new InvariantViolation(n.id + " applied " + e + " after " + n.lastApplied + ": applied out of order");
        }
        checker.onApplied(n.id, e);
        n.lastApplied = e.index();
        if (e.type() == EntryType.NORMAL) {
            sessionClients.onApplied(n.id, e.index(), e.term(), n.sm.apply(e.index(), e.data()));
        }
        Proposal p = n.proposals.remove(e.index());
        if (p != null && p.term() == e.term() && Arrays.equals(p.command(), e.data())) {
            checker.onAcked(e.index(), e.data());
        }
    }

    private void serveReads(SimNode n) {
        n.readsToServe.removeIf(read -> {
            if (n.lastApplied < read[1]) {
                return false;
            }
            // Linearizability: a read sees every write acknowledged before it started.
            if (read[1] < read[2]) {
                throw new InvariantViolation("stale read on " + n.id + ": read index " + read[1]
                        + " misses a write acknowledged at " + read[2] + " before the read began");
            }
            return true;
        });
    }

    private void maybeCompact(SimNode n) {
        if (n.lastApplied - n.raft.firstIndex() + 1 < compactEvery) {
            return;
        }
        Snapshot s = n.raft.snapshotAt(n.lastApplied, n.sm.snapshot());
        n.disk.saveSnapshot(s);
        n.raft.compact(s);
    }

    // ------------------------------------------------------------------ faults and clients

    private void scheduleRestart(SimNode n) {
        schedule((1 + random.nextInt(options.maxRestartTicks())) * P, () -> {
            if (!n.up) {
                start(n);
            }
        });
    }

    private void scheduleFaults(long chaosEnd) {
        int gap = options.faultGapTicks();
        for (long t = (10 + random.nextInt(30)) * P; t < chaosEnd; t += (gap / 2 + random.nextInt(gap + 1)) * P) {
            long at = t;
            queue.add(new Event(at, seq++, this::injectFault));
        }
    }

    private void injectFault() {
        if (!chaos) {
            return;
        }
        if (pauseRandom.nextInt(3) == 0) {
            // A whole-process pause (GC, SIGSTOP), of the leader more often than not.
            List<SimNode> up = nodes.values().stream().filter(x -> x.up).toList();
            SimNode leader = currentLeader();
            SimNode victim = leader != null && pauseRandom.nextBoolean()
                    ? leader
                    : up.isEmpty() ? null : up.get(pauseRandom.nextInt(up.size()));
            if (victim != null) {
                pause(victim, (1 + pauseRandom.nextInt(30)) * P);
            }
        }
        List<String> ids = new ArrayList<>(nodes.keySet());
        long healAfter = (10 + random.nextInt(80)) * P;
        // Crash-fast reports need pre-vote (RaftNode ignores them otherwise): without it, the
        // fault mix and random draws stay those of the plain algorithm.
        switch (random.nextInt(options.preVote() ? 8 : 7)) {
            case 0, 1 -> {
                SimNode victim = preferLeader(0.5);
                if (victim != null) {
                    crash(victim);
                    scheduleRestart(victim);
                }
            }
            case 2 -> {
                java.util.Collections.shuffle(ids, new java.util.Random(random.nextLong()));
                int cut = 1 + random.nextInt(ids.size() - 1);
                network.partition(ids.subList(0, cut), ids.subList(cut, ids.size()));
                schedule(healAfter, network::heal);
            }
            case 3 -> {
                // One-way partitions: some directed links drop everything.
                for (int i = 0; i < 1 + random.nextInt(ids.size()); i++) {
                    String a = ids.get(random.nextInt(ids.size()));
                    String b = ids.get(random.nextInt(ids.size()));
                    if (!a.equals(b)) {
                        network.block(a, b);
                    }
                }
                schedule(healAfter, network::heal);
            }
            case 4 -> {
                network.lossRate = random.nextDouble() * 0.3;
                network.duplicateRate = random.nextDouble() * 0.1;
                schedule(healAfter, network::heal);
            }
            case 5 -> {
                SimNode leader = preferLeader(1.0);
                if (leader != null && leader.raft.role() == Role.LEADER) {
                    // Leader isolated from everyone: check-quorum must depose it. Half the time a
                    // firewall answers for it with resets, a false crash-fast report: the others
                    // elect at once, while the isolated leader may still hold its lease.
                    boolean resets = options.preVote() && random.nextBoolean();
                    for (String other : ids) {
                        if (!other.equals(leader.id)) {
                            network.block(leader.id, other);
                            network.block(other, leader.id);
                            if (resets) {
                                reportGone(nodes.get(other), leader.id, network.latency());
                            }
                        }
                    }
                    schedule(healAfter, network::heal);
                }
            }
            case 6 -> {
                // False crash-fast reports about a live node (a flapping connection, or a firewall
                // answering for it with resets), to one node or to several at once.
                SimNode target = preferLeader(0.8);
                if (target != null) {
                    boolean many = random.nextBoolean();
                    for (SimNode n : nodes.values()) {
                        if (n != target && n.up && (many || random.nextInt(nodes.size()) == 0)) {
                            reportGone(n, target.id, random.nextLong(3 * P));
                        }
                    }
                }
            }
            default -> transferLeadership();
        }
    }

    private SimNode preferLeader(double probability) {
        List<SimNode> up = nodes.values().stream().filter(n -> n.up).toList();
        if (up.isEmpty()) {
            return null;
        }
        if (random.nextDouble() < probability) {
            for (SimNode n : up) {
                if (n.raft.role() == Role.LEADER) {
                    return n;
                }
            }
        }
        return up.get(random.nextInt(up.size()));
    }

    // ------------------------------------------------------------------ membership changes

    /**
     * The leader changes the membership: adds a spare or a removed node as a learner (most to be
     * promoted once caught up), promotes or removes a learner, demotes or removes a voter (the
     * leader too), keeping at least three voters. A change refused (one in flight, a new
     * leader's first commit pending) is simply not made. A node it adds starts, if it is not
     * running, from the leader's configuration with itself as a learner, like a new replica.
     */
    private void changeMembership() {
        SimNode leader = currentLeader();
        if (leader == null || leader.pausedUntil > now) {
            return;
        }
        Membership m = leader.raft.membership();
        List<MembershipChange> candidates = new ArrayList<>();
        for (SimNode n : nodes.values()) {
            if (!m.contains(n.id)) {
                candidates.add(new MembershipChange.AddLearner(n.id, n.id + ":9090", random.nextInt(4) != 0));
            }
        }
        for (String l : m.learners()) {
            candidates.add(new MembershipChange.Promote(l));
            candidates.add(new MembershipChange.Remove(l));
        }
        if (m.voters().size() > 3) {
            for (String v : m.voters()) {
                candidates.add(new MembershipChange.Demote(v));
                candidates.add(new MembershipChange.Remove(v));
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        MembershipChange change = candidates.get(random.nextInt(candidates.size()));
        long configIndexBefore = leader.raft.membershipIndex();
        long index;
        try {
            index = leader.raft.changeMembership(change);
        } catch (IllegalStateException | NotLeaderException mustWait) {
            return; // the previous change or the new leader's first commit is pending; not a bug
        }
        checkChangeRules(leader, index, configIndexBefore, m);
        membershipChanges++;
        if (change instanceof MembershipChange.AddLearner add) {
            SimNode joining = nodes.get(add.id());
            if (!joining.up && !joining.everStarted) {
                java.util.Set<String> learners = new java.util.TreeSet<>(m.learners());
                learners.add(joining.id);
                joining.settings = config.withMembership(new Membership(m.voters(), learners));
                start(joining);
            }
        }
        processReady(leader);
    }

    /**
     * The rules of single-server changes (thesis §4.1 and its fix): a leader changes the
     * configuration only after committing an entry of its own term, only when the previous
     * change is committed, and by one voter at most.
     */
    private void checkChangeRules(SimNode leader, long index, long previousConfigIndex, Membership previous) {
        RaftNode raft = leader.raft;
        if (leader.disk.term(raft.commitIndex()) != raft.term()) {
            throw new InvariantViolation("membership: " + leader.id + " changed the configuration at " + index
                    + " in term " + raft.term() + " before committing an entry of its term");
        }
        if (previousConfigIndex > raft.commitIndex()) {
            throw new InvariantViolation("membership: " + leader.id + " changed the configuration at " + index
                    + " while the change at " + previousConfigIndex + " was not committed");
        }
        Membership next = raft.membership();
        java.util.Set<String> changed = new java.util.TreeSet<>(next.voters());
        changed.removeAll(previous.voters());
        java.util.Set<String> gone = new java.util.TreeSet<>(previous.voters());
        gone.removeAll(next.voters());
        if (changed.size() + gone.size() > 1) {
            throw new InvariantViolation("membership: " + leader.id + " changed more than one voter at " + index + ": "
                    + previous + " -> " + next);
        }
    }

    /**
     * With membership changes: whenever a leader's commit index advances, the entry there is in
     * the durable logs of a majority of the voters of the configuration it uses (§5.3 with §4.1:
     * a server that left no longer counts).
     */
    private void checkCommitBackedByQuorum(SimNode n, long previousCommit) {
        RaftNode raft = n.raft;
        long commit = raft.commitIndex();
        if (raft.role() != Role.LEADER || commit <= previousCommit) {
            return;
        }
        long term = n.disk.term(commit);
        Membership m = raft.membership();
        int holders = 0;
        for (String v : m.voters()) {
            SimDisk disk = nodes.get(v).disk;
            if (disk.snapshotIndex() >= commit || disk.lastIndex() >= commit && disk.term(commit) == term) {
                holders++;
            }
        }
        if (holders < m.quorum()) {
            throw new InvariantViolation("membership: " + n.id + " committed index " + commit + " (term " + term
                    + ") held durably by " + holders + " of the voters " + m.voters() + " only");
        }
    }

    private void transferLeadership() {
        SimNode leader = currentLeader();
        if (leader == null || leader.pausedUntil > now) {
            return;
        }
        stability.disturb(now);
        try {
            if (random.nextBoolean()) {
                leader.raft.stepDown();
            } else {
                List<String> voters = options.membershipChanges()
                        ? List.copyOf(leader.raft.membership().voters())
                        : voterIds;
                leader.raft.transferLeadership(voters.get(random.nextInt(voters.size())));
            }
        } catch (NotLeaderException ignored) {
            // racing with an election: fine
        }
        processReady(leader);
    }

    /**
     * The nodes the leader's configuration names: every node when the membership is fixed; with
     * membership changes, nodes removed (or never added) are not expected to follow.
     */
    private List<SimNode> members(SimNode leader) {
        if (!options.membershipChanges()) {
            return List.copyOf(nodes.values());
        }
        return leader.raft.membership().all().stream().map(nodes::get).toList();
    }

    private SimNode currentLeader() {
        SimNode best = null;
        for (SimNode n : nodes.values()) {
            if (n.up && n.raft.role() == Role.LEADER && (best == null || n.raft.term() > best.raft.term())) {
                best = n;
            }
        }
        return best;
    }

    private void scheduleClients(long from, long to) {
        for (long t = from; t < to; t += (1 + random.nextInt(4)) * P) {
            queue.add(new Event(t, seq++, random.nextInt(4) == 0 ? this::clientRead : this::clientWrite));
        }
    }

    private void clientWrite() {
        SimNode target = currentLeader();
        if (target == null || target.pausedUntil > now) {
            return; // a paused leader's loop takes no request: the client times out
        }
        long id = ++commandIds;
        String key = "k" + random.nextInt(5);
        byte[] value = ("v" + id).getBytes(StandardCharsets.UTF_8);
        byte[] command;
        int kind = random.nextInt(6);
        if (kind < 2) {
            // Compare-and-set against the leader's local view: may lose a race, deterministically.
            long version = target.sm.get(key).map(VersionedValue::version).orElse(0L);
            command = target.sm.encode(
                    new ConfigCommand.CompareAndSet(key, version, version > 0 && kind == 0 ? null : value));
        } else if (kind == 2) {
            command = target.sm.encode(new ConfigCommand.Delete(key));
        } else {
            command = target.sm.encode(new ConfigCommand.Put(key, value));
        }
        try {
            long index = target.raft.propose(command);
            target.proposals.put(index, new Proposal(target.raft.term(), command));
        } catch (NotLeaderException ignored) {
            return; // transferring leadership: the client retries elsewhere
        }
        processReady(target);
    }

    private void clientRead() {
        SimNode target = currentLeader();
        if (target == null || target.pausedUntil > now) {
            return; // a paused leader's loop takes no request: the client times out
        }
        long id = ++readIds;
        try {
            target.raft.readIndex(id);
            target.reads.put(id, new PendingRead(id, checker.maxAckedIndex()));
        } catch (NotLeaderException ignored) {
            return;
        }
        processReady(target);
    }

    // ------------------------------------------------------------------ healing and liveness

    private void heal() {
        chaos = false;
        network.heal();
        for (SimNode n : nodes.values()) {
            if (!n.up && (n.everStarted || !spares.contains(n.id))) {
                start(n);
            }
            if (roles != null && n.up) {
                n.raft.offerRoles(roles.restore(n.id));
                processReady(n);
            }
        }
    }

    /** During the faults: one live node changes what it offers (availability, a role dropped or back). */
    private void changeRoleOffer() {
        List<SimNode> up = nodes.values().stream().filter(x -> x.up).toList();
        if (!chaos || up.isEmpty()) {
            return;
        }
        SimNode n = up.get(roles.pick(up.size()));
        if (deferIfPaused(n, this::changeRoleOffer)) {
            return;
        }
        if (roles.pick(4) == 0 && n.raft.role() == Role.LEADER) {
            // An operator moves a role (to a node that may not offer it: refused then).
            List<String> members = List.copyOf(n.raft.membership().all());
            try {
                n.raft.moveRole(
                        SimRoles.NAMES.get(roles.pick(SimRoles.NAMES.size())), members.get(roles.pick(members.size())));
            } catch (IllegalArgumentException refused) {
                // the target does not offer the role, or was not heard from yet
            }
        } else {
            n.raft.offerRoles(roles.change(n.id));
        }
        processReady(n);
    }

    /**
     * After the faults healed: every role some member offers is held, as the application sees
     * it, by one node, and the assignment is balanced ({@link RoleChecker#imbalance}), within
     * the bound of the other liveness checks.
     */
    private void awaitRolesHeldAndBalanced(long deadline) {
        String missing = "";
        while (now < deadline) {
            runUntil(now + P);
            SimNode leader = currentLeader();
            if (leader == null) {
                missing = "no leader";
                continue;
            }
            Membership config = leader.raft.membership();
            java.util.Set<String> offered = new java.util.TreeSet<>();
            for (String member : config.all()) {
                offered.addAll(roles.offerOf(member).roles().keySet());
            }
            missing = "";
            for (String role : offered) {
                boolean held = nodes.values().stream().anyMatch(x -> x.up && x.published.roleAt(role, now) != null);
                if (!held) {
                    missing += " " + role;
                }
            }
            String imbalance = RoleChecker.imbalance(config, roles::offerOf);
            if (missing.isEmpty() && imbalance == null) {
                return;
            }
            if (missing.isEmpty()) {
                missing = imbalance;
            }
        }
        throw new InvariantViolation("liveness: named roles not all held and balanced within " + options.healTicks()
                + " ticks after the faults healed:" + missing);
    }

    private RaftNode awaitAgreedLeader(long deadline) {
        while (now < deadline) {
            runUntil(now + P);
            SimNode leader = currentLeader();
            if (leader != null
                    && members(leader).stream()
                            .allMatch(n -> n.up
                                    && n.raft.term() == leader.raft.term()
                                    && leader.id.equals(n.raft.leaderId()))) {
                return leader.raft;
            }
        }
        throw new InvariantViolation("liveness: no leader agreed by all nodes within " + options.healTicks()
                + " ticks after the faults healed; nodes: "
                + nodes.values().stream().map(n -> String.valueOf(n.raft)).toList());
    }

    private void awaitFinalWriteEverywhere(RaftNode agreed, long deadline) {
        SimNode n = nodes.get(agreed.id());
        long index = -1;
        while (now < deadline) {
            if (n.raft.role() != Role.LEADER) {
                SimNode leader = currentLeader();
                if (leader != null && leader != n) {
                    n = leader; // leadership moved while healing; ask the new leader
                    index = -1;
                }
            }
            if (index < 0 && n.raft.role() == Role.LEADER && !n.raft.isTransferringLeadership()) {
                byte[] command = n.sm.encode(
                        new ConfigCommand.Put("final", ("done" + ++commandIds).getBytes(StandardCharsets.UTF_8)));
                index = n.raft.propose(command);
                n.proposals.put(index, new Proposal(n.raft.term(), command));
                processReady(n);
            }
            runUntil(now + P);
            long target = index;
            if (target > 0 && members(n).stream().allMatch(x -> x.lastApplied >= target)) {
                for (SimNode x : members(n)) {
                    if (x.lastApplied == n.lastApplied && x.sm.configVersion() != n.sm.configVersion()) {
                        throw new InvariantViolation(
                                x.id + " and " + n.id + " applied the same log but disagree on configVersion");
                    }
                }
                return;
            }
        }
        throw new InvariantViolation("liveness: a write on the leader " + n.id + " did not reach every node within "
                + options.healTicks() + " ticks after the faults healed");
    }

    /** What the {@link SessionClients} see of the cluster: nodes through the same driver duties as everything else. */
    private final class ClientHost implements SessionClients.Host {
        private final SplittableRandom latencies;

        ClientHost(SplittableRandom latencies) {
            this.latencies = latencies;
        }

        @Override
        public long now() {
            return now;
        }

        @Override
        public void schedule(long delay, Runnable action) {
            Simulation.this.schedule(delay, action);
        }

        @Override
        public boolean linkUp(String from, String to) {
            return network.linkUp(from, to);
        }

        @Override
        public long latency() {
            return network.minLatency + latencies.nextLong(network.maxLatency - network.minLatency + 1);
        }

        @Override
        public boolean accepting(String id) {
            SimNode n = nodes.get(id);
            return n.up && n.pausedUntil <= now;
        }

        @Override
        public int incarnation(String id) {
            return nodes.get(id).incarnation;
        }

        @Override
        public String leaderKnownBy(String id) {
            SimNode n = nodes.get(id);
            return n.up ? n.raft.leaderId() : null;
        }

        @Override
        public long propose(String id, byte[] command) {
            SimNode n = nodes.get(id);
            try {
                long index = n.raft.propose(command);
                processReady(n);
                return index;
            } catch (NotLeaderException e) {
                return -1;
            }
        }

        @Override
        public long term(String id) {
            return nodes.get(id).raft.term();
        }

        @Override
        public boolean readIndex(String id, long requestId) {
            SimNode n = nodes.get(id);
            try {
                n.raft.readIndex(requestId);
                processReady(n);
                return true;
            } catch (NotLeaderException e) {
                return false;
            }
        }

        @Override
        public long lastApplied(String id) {
            return nodes.get(id).lastApplied;
        }

        @Override
        public ConfigStore store(String id) {
            return nodes.get(id).sm;
        }
    }
}
