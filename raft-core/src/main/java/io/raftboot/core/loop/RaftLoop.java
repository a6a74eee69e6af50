package io.raftboot.core.loop;

import io.raftboot.core.log.EntryType;
import io.raftboot.core.log.LogEntry;
import io.raftboot.core.message.Message;
import io.raftboot.core.node.MembershipChange;
import io.raftboot.core.node.NotLeaderException;
import io.raftboot.core.node.ProtocolSettings;
import io.raftboot.core.node.RaftNode;
import io.raftboot.core.node.ReadState;
import io.raftboot.core.node.Ready;
import io.raftboot.core.node.Role;
import io.raftboot.core.node.RoleCandidacy;
import io.raftboot.core.statemachine.StateMachine;
import io.raftboot.core.storage.PersistentState;
import io.raftboot.core.storage.Snapshot;
import io.raftboot.core.storage.Storage;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * The driver of one {@link RaftNode}: the only code of raft-core with a thread and a clock.
 *
 * <p>One dedicated thread owns the node, the {@link Storage} and the {@link StateMachine}. It
 * ticks the node once per {@code tickInterval} and feeds it what arrives through a bounded queue:
 * messages from the {@link Transport} ({@link #receive}) and client requests ({@link #propose},
 * {@link #readIndex}, {@link #transferLeadership}, {@link #stepDown}). After every input it does
 * the node's {@link Ready} work in the order that contract requires: persist, restore a
 * snapshot, send, apply and complete futures, serve reads, advance.
 *
 * <p>The thread sleeps until something is due instead of waking at every tick: it waits on its
 * queue until the tick at which the node's next timer fires ({@link
 * RaftNode#ticksUntilNextEvent()}), the published lease ends (so that listeners hear of it on
 * time), or a transfer's deadline passes, whichever comes first; an input wakes it at once.
 * Woken, it first catches up the ticks that came due while it slept, then handles the input:
 * the ticks before the node's next event only count, so the node behaves as if ticked all along.
 * Tick k is due {@code k} intervals after the loop started, counted from that one monotonic
 * start: the node's clock never runs ahead of real time (the leader lease relies on no node's
 * clock running faster than real time, by more than {@code maxClockDrift}) and does not drift
 * behind it by the time the loop spent working. Because the ticks are caught up (read from the
 * clock) right before each input is handled, a follower's tick count when it hears the leader
 * is that of the instant it read the clock, after the message arrived: the stickiness promise
 * it then keeps for T ticks outlasts T - 1 intervals after the heartbeat left, as the lease
 * requires, even when a pause (GC, a slow fsync) made it catch up a burst of ticks.
 *
 * <p>Any exception from the storage, the state machine or the node <em>halts</em> the loop: it
 * stops, fails every pending future with that exception, tells {@link RaftListener#onHalted}
 * and logs at ERROR. It never continues after a failed write.
 *
 * <p>Futures are completed on the loop thread, so dependent stages attached without
 * {@code ...Async} run there and stall the node while they run: keep them short or use the
 * {@code Async} variants. None of the futures time out by themselves (except leadership
 * transfer); callers add {@code orTimeout}.
 */
public final class RaftLoop implements AutoCloseable {

    public static final int DEFAULT_QUEUE_CAPACITY = 4096;
    public static final long DEFAULT_SNAPSHOT_THRESHOLD = 10_000;

    private static final System.Logger LOG = System.getLogger(RaftLoop.class.getName());
    /** Inputs handled before the Ready work is done and the tick checked again. */
    private static final int MAX_INPUTS_PER_ITERATION = 256;

    private static final Object WAKE_UP = new Object();

    private enum Lifecycle {
        NEW,
        RUNNING,
        STOPPED
    }

    private record PeerGone(String peer) {}

    private final String nodeId;
    private final ProtocolSettings config;
    private final long tickIntervalNanos;
    private final LoopTime time;
    /** When tick 0 started: tick k is due {@code k * tickIntervalNanos} later. */
    private long startNanos;

    private final Storage storage;
    private final StateMachine stateMachine;
    private final Transport transport;
    private final RandomGenerator random;
    private final ArrayBlockingQueue<Object> queue;
    private final Listeners listeners;
    private final StatusPublisher publisher;
    private final AtomicLong droppedMessages = new AtomicLong();
    private final Object lifecycleLock = new Object();

    private volatile Lifecycle lifecycle = Lifecycle.NEW;
    private volatile boolean closing;
    private volatile Throwable haltCause;
    private Thread thread;

    // Owned by the loop thread (handed over by Thread.start()).
    private RaftNode node;
    private long lastApplied;
    private final PendingRequests requests;
    private final SnapshotPolicy snapshots;

    /**
     * @param snapshotThreshold entries applied since the last snapshot before the state machine is
     *     snapshotted and the log compacted; 0 or less never snapshots
     */
    public RaftLoop(
            String nodeId,
            ProtocolSettings config,
            Duration tickInterval,
            Storage storage,
            StateMachine stateMachine,
            Transport transport,
            RandomGenerator random,
            long snapshotThreshold) {
        this(
                nodeId,
                config,
                tickInterval,
                storage,
                stateMachine,
                transport,
                random,
                snapshotThreshold,
                DEFAULT_QUEUE_CAPACITY);
    }

    /**
     * @param queueCapacity inputs (messages and requests) that may wait for the loop thread; when
     *     full, messages are dropped and requests fail with {@link RejectedExecutionException}
     */
    public RaftLoop(
            String nodeId,
            ProtocolSettings config,
            Duration tickInterval,
            Storage storage,
            StateMachine stateMachine,
            Transport transport,
            RandomGenerator random,
            long snapshotThreshold,
            int queueCapacity) {
        this(
                nodeId,
                config,
                tickInterval,
                storage,
                stateMachine,
                transport,
                random,
                snapshotThreshold,
                queueCapacity,
                LoopTime.SYSTEM);
    }

    /** With the clock and the wait a test controls. */
    RaftLoop(
            String nodeId,
            ProtocolSettings config,
            Duration tickInterval,
            Storage storage,
            StateMachine stateMachine,
            Transport transport,
            RandomGenerator random,
            long snapshotThreshold,
            int queueCapacity,
            LoopTime time) {
        this.time = Objects.requireNonNull(time, "time");
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(tickInterval, "tickInterval");
        if (tickInterval.isNegative() || tickInterval.isZero()) {
            throw new IllegalArgumentException("tickInterval must be positive, got " + tickInterval);
        }
        if (!config.membership().contains(nodeId)) {
            throw new IllegalArgumentException("node '" + nodeId + "' is neither a voter nor a learner of "
                    + config.membership() + "; add it to the peers or fix the node id");
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be >= 1, got " + queueCapacity);
        }
        this.tickIntervalNanos = tickInterval.toNanos();
        this.storage = Objects.requireNonNull(storage, "storage");
        this.stateMachine = Objects.requireNonNull(stateMachine, "stateMachine");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.random = Objects.requireNonNull(random, "random");
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.listeners = new Listeners(nodeId);
        this.publisher = new StatusPublisher(nodeId, config, tickIntervalNanos, listeners, time::nanoTime);
        this.requests = new PendingRequests(nodeId, config.electionTicks(), tickIntervalNanos, time::nanoTime);
        this.snapshots = new SnapshotPolicy(nodeId, snapshotThreshold);
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Loads the storage, restores the state machine from the latest snapshot and re-applies every
     * entry this node knew to be committed before it stopped, on the caller's thread and without
     * any network. After it, the state machine (and the config store's configVersion) is where it
     * was before the restart, so nothing can read an older state. {@link #start()} calls it if it
     * has not run yet; call it earlier (e.g. while the application context is created) to recover
     * before any reader can look. Errors are thrown here and leave the node stopped. Idempotent.
     */
    public void recover() {
        synchronized (lifecycleLock) {
            if (node != null) {
                return;
            }
            if (lifecycle != Lifecycle.NEW) {
                throw new IllegalStateException(
                        "RaftLoop of node '" + nodeId + "' is " + lifecycle + "; it cannot recover");
            }
            try {
                PersistentState state = storage.load();
                if (state.snapshot() != null) {
                    stateMachine.restore(state.snapshot().data());
                    snapshots.snapshotAt(state.snapshot().lastIndex());
                }
                node = new RaftNode(nodeId, config, state, random);
                lastApplied = node.appliedIndex();
                processReady(); // a fresh node only has committed entries to re-apply: nothing to send
            } catch (RuntimeException | Error e) {
                haltCause = e;
                lifecycle = Lifecycle.STOPPED;
                closeStorage();
                throw e;
            }
            publisher.initial(node, lastApplied);
            LOG.log(
                    Level.INFO,
                    "node {0}: recovered term {1}, log {2}..{3}, applied {4}",
                    nodeId,
                    node.term(),
                    node.firstIndex(),
                    node.lastIndex(),
                    lastApplied);
        }
    }

    /**
     * {@link #recover()}s if needed and starts the loop thread.
     *
     * @throws IllegalStateException if called twice
     */
    public void start() {
        synchronized (lifecycleLock) {
            if (lifecycle != Lifecycle.NEW) {
                throw new IllegalStateException("RaftLoop of node '" + nodeId + "' was already started");
            }
            recover();
            startNanos = time.nanoTime();
            publisher.ticked(node.ticks(), startNanos); // tick 0
            LOG.log(
                    Level.INFO,
                    "node {0}: starting at term {1} as {2}, tick {3} ms",
                    nodeId,
                    node.term(),
                    node.role(),
                    tickIntervalNanos / 1e6);
            thread = new Thread(this::run, "raft-loop-" + nodeId);
            thread.setDaemon(true);
            lifecycle = Lifecycle.RUNNING;
            thread.start();
        }
    }

    /**
     * Stops the loop thread, fails every pending future with {@link RaftLoopStoppedException},
     * and closes the storage. Does not hand leadership over first: call {@link #stepDown()} and
     * wait for it before closing a leader, so the cluster does not wait an election timeout.
     * Idempotent.
     */
    @Override
    public void close() {
        Thread loopThread;
        synchronized (lifecycleLock) {
            if (lifecycle == Lifecycle.NEW) {
                lifecycle = Lifecycle.STOPPED;
                closeStorage();
                return;
            }
            closing = true;
            loopThread = thread;
        }
        queue.offer(WAKE_UP);
        if (loopThread != null && loopThread != Thread.currentThread()) {
            boolean interrupted = false;
            while (loopThread.isAlive()) {
                try {
                    loopThread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the loop thread runs (started, not closed, not halted). */
    public boolean isRunning() {
        return lifecycle == Lifecycle.RUNNING && !closing;
    }

    /** The error that halted this node, if any. */
    public Optional<Throwable> haltCause() {
        return Optional.ofNullable(haltCause);
    }

    // ------------------------------------------------------------------ inputs (any thread)

    /** Delivers a message from a peer; dropped when the queue is full or the loop is not running. */
    public void receive(Message message) {
        Objects.requireNonNull(message, "message");
        if (lifecycle != Lifecycle.RUNNING || !queue.offer(message)) {
            long dropped = droppedMessages.incrementAndGet();
            LOG.log(Level.DEBUG, "node {0}: dropped inbound message ({1} so far): {2}", nodeId, dropped, message);
        }
    }

    /**
     * Reports that {@code peer}'s process is gone: a connection it held to this node closed and
     * a new connection to it was refused. Report only that evidence (not timeouts or other
     * errors: a live but slow leader must not be reported), at most once per lost connection;
     * see {@link io.raftboot.core.node.RaftNode#peerUnreachable(String)}. Dropped when the
     * queue is full, like a message.
     */
    public void peerUnreachable(String peer) {
        Objects.requireNonNull(peer, "peer");
        if (lifecycle == Lifecycle.RUNNING) {
            queue.offer(new PeerGone(peer));
        }
    }

    /**
     * Proposes a command. Completes with {@link StateMachine#apply}'s result once the entry is
     * applied on this node with the term it was proposed in. Fails with
     * {@link NotLeaderException} if this node is not the leader (or is handing leadership over),
     * with {@link LeadershipLostException} if it lost leadership before applying the entry, with
     * {@link RejectedExecutionException} if the loop is overloaded, with
     * {@link RaftLoopStoppedException} if it is not running or closes ({@code outcomeUnknown()} when
     * the entry was already in the log), or with the halting error (the entry may be in the log).
     * {@link io.raftboot.core.client.ProposalOutcomes} reads each failure as the outcome it means.
     */
    public CompletableFuture<Object> propose(byte[] command) {
        Objects.requireNonNull(command, "command");
        return submit(new Request.Propose(command.clone(), new CompletableFuture<>()))
                .future();
    }

    /**
     * A linearizable read point (ReadIndex, Raft thesis §6.4): completes with a commit index once
     * a quorum confirmed this node still leads and the state machine applied up to it, so a read
     * of the state machine after completion reflects every write committed before the call.
     * Fails with {@link NotLeaderException} if this node is not (or stops being) the leader.
     */
    public CompletableFuture<Long> readIndex() {
        return submit(new Request.Read(new CompletableFuture<>())).future();
    }

    /**
     * Hands leadership to voter {@code target} (Raft thesis §3.10). Completes once this node no
     * longer leads (normally because {@code target} took over), at once if {@code target} is this
     * node. Fails with {@link NotLeaderException} if this node is not the leader,
     * {@link IllegalArgumentException} if {@code target} is not a voter, {@link TimeoutException}
     * after two election timeouts.
     */
    public CompletableFuture<Void> transferLeadership(String target) {
        Objects.requireNonNull(target, "target");
        return submit(new Request.Transfer(target, new CompletableFuture<>()))
                .future()
                .thenApply(ignored -> null);
    }

    /**
     * Changes the cluster's configuration (one voter at a time, thesis §4.1). Completes with the
     * log index of the new configuration once it is committed and applied on this node. Fails
     * with {@link NotLeaderException} if this node is not the leader, {@link IllegalStateException}
     * if the change must wait (this leader has not committed an entry of its term yet, or another
     * change is not committed yet: retry), {@link IllegalArgumentException} if it cannot apply
     * (e.g. promoting a voter), and like {@link #propose} once it is in the log.
     */
    public CompletableFuture<Long> changeMembership(MembershipChange change) {
        Objects.requireNonNull(change, "change");
        return submit(new Request.ChangeMembership(change, new CompletableFuture<>()))
                .future()
                .thenApply(index -> (Long) index);
    }

    /**
     * Gives up leadership to the most up-to-date voter. Completes with that voter's id (the chosen
     * target, not necessarily the next leader) once this node no longer leads; with {@code null} at once if this node is not the leader or has no
     * other voter to hand over to. Fails with {@link TimeoutException} after two election timeouts.
     */
    public CompletableFuture<String> stepDown() {
        return submit(new Request.StepDown(new CompletableFuture<>())).future();
    }

    /**
     * Offers this node for the named roles of {@code candidacy} (issue 16), or withdraws it. Roles
     * it holds and no longer offers stop at once: when the future completes,
     * {@link RaftStatus#roles()} no longer lists them, and the leader may give them to another
     * node as soon as it revoked them.
     */
    public CompletableFuture<Void> offerRoles(RoleCandidacy candidacy) {
        Objects.requireNonNull(candidacy, "candidacy");
        return submit(new Request.OfferRoles(candidacy, new CompletableFuture<>()))
                .future();
    }

    /** Whether this voter may start elections (see {@link RaftNode#allowCampaigns}). */
    public CompletableFuture<Void> allowCampaigns(boolean allowed) {
        return submit(new Request.AllowCampaigns(allowed, new CompletableFuture<>()))
                .future();
    }

    /**
     * Moves named role {@code role} to {@code target} (see {@link RaftNode#moveRole}). Completes
     * once the leader took the request: the move itself follows (revocation, the wait for the old
     * holder's proof, the grant); watch {@link RaftStatus#membership()}'s roles for its end. Fails
     * with {@link NotLeaderException} on a node that is not the leader, and with
     * {@link IllegalArgumentException} if {@code target} is not a member or does not offer the role.
     */
    public CompletableFuture<Void> moveRole(String role, String target) {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(target, "target");
        return submit(new Request.MoveRole(role, target, new CompletableFuture<>()))
                .future();
    }

    private <R extends Request> R submit(R request) {
        if (lifecycle != Lifecycle.RUNNING || closing) {
            request.future().completeExceptionally(stoppedException());
            return request;
        }
        if (!queue.offer(request)) {
            request.future()
                    .completeExceptionally(new RejectedExecutionException("node '" + nodeId
                            + "': the Raft loop's queue is full (" + queue.size() + " waiting): the node is overloaded,"
                            + " retry later or raise the queue capacity"));
            return request;
        }
        if (lifecycle == Lifecycle.STOPPED) {
            // The loop may have drained the queue just before our offer: do it for it.
            drainQueue();
        }
        return request;
    }

    // ------------------------------------------------------------------ queries (any thread)

    public String nodeId() {
        return nodeId;
    }

    public ProtocolSettings config() {
        return config;
    }

    public Duration tickInterval() {
        return Duration.ofNanos(tickIntervalNanos);
    }

    /** The node as of the end of the loop's last iteration. */
    public RaftStatus status() {
        return publisher.status();
    }

    /** Whether this node is leader with a valid lease right now (see {@link RaftStatus#holdsLease()}). */
    public boolean holdsLease() {
        return publisher.status().holdsLease();
    }

    /**
     * What the leader lease had left when it was last renewed (negative: it had lapsed), or empty
     * before any renewal: how close the round trip runs to the lease (docs/operations.md).
     */
    public Optional<Duration> leaseRenewalMargin() {
        long margin = publisher.hysteresis().renewalMarginNanos();
        return margin == Long.MIN_VALUE ? Optional.empty() : Optional.of(Duration.ofNanos(margin));
    }

    /** Renewals of the leader lease that arrived after it had run out, since the node started. */
    public long leaseLapses() {
        return publisher.hysteresis().lapses();
    }

    /** Inbound messages dropped because the queue was full or the loop not running. */
    public long droppedMessages() {
        return droppedMessages.get();
    }

    public void addListener(RaftListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(RaftListener listener) {
        listeners.remove(listener);
    }

    // ------------------------------------------------------------------ the loop thread

    private void run() {
        try {
            while (!closing) {
                catchUpTicks();
                processReady();
                afterReady();
                long waitNanos = nanosUntilNextWakeUp(time.nanoTime());
                Object input = waitNanos > 0 ? time.poll(queue, waitNanos) : queue.poll();
                for (int n = 0; input != null; n++) {
                    if (closing) {
                        // Taken from the queue but never handled: drainQueue() will not see it.
                        failUnhandled(input);
                        break;
                    }
                    catchUpTicks(); // the node's clock is current when it hears anything (see the class comment)
                    handle(input);
                    input = n < MAX_INPUTS_PER_ITERATION ? queue.poll() : null;
                }
            }
        } catch (InterruptedException e) {
            LOG.log(Level.WARNING, "node {0}: Raft loop thread interrupted, stopping", nodeId);
        } catch (Throwable t) {
            haltCause = t;
        } finally {
            shutDown();
        }
    }

    /**
     * Ticks the node up to the tick due by the clock now. When more than one is due (the loop
     * slept, or a pause held it up) the ones before the node's next event only count; should one
     * of them do something after all (a pause longer than the sleep), its Ready is processed
     * before the next tick, as if ticked on time.
     */
    private void catchUpTicks() {
        long now = time.nanoTime();
        long due = (now - startNanos) / tickIntervalNanos;
        while (node.ticks() < due) {
            node.tick();
            // When the tick ran: heartbeats of this tick leave after it, so a lease counted
            // from here is conservative.
            publisher.ticked(node.ticks(), now);
            if (node.ticks() < due && node.hasReady()) {
                processReady();
            }
        }
    }

    /**
     * How long the loop may sleep if no input arrives: until the tick of the node's next event,
     * the end of the published lease (listeners must hear it ended on time; a renewal normally
     * moves it first), or a transfer's deadline. {@link Long#MAX_VALUE}: until an input.
     */
    private long nanosUntilNextWakeUp(long now) {
        long wait = Long.MAX_VALUE;
        long ticks = node.ticksUntilNextEvent();
        if (ticks != Long.MAX_VALUE) {
            try {
                long dueSinceStart = Math.multiplyExact(Math.addExact(node.ticks(), ticks), tickIntervalNanos);
                wait = dueSinceStart - (now - startNanos);
            } catch (ArithmeticException beyondAnyClock) {
                // wait stays unbounded
            }
        }
        long lease = publisher.status().leaseValidUntilNanos();
        if (lease != Long.MIN_VALUE && lease - now > 0) {
            wait = Math.min(wait, lease - now);
        }
        for (RoleLease role : publisher.status().roles().values()) {
            if (role.holdsAt(now)) {
                wait = Math.min(wait, role.validUntilNanos() - now); // listeners hear of its end
            }
        }
        return Math.min(wait, requests.nanosUntilNextDeadline(now));
    }

    private void handle(Object input) {
        if (input instanceof Message m) {
            node.step(m);
        } else if (input instanceof PeerGone g) {
            node.peerUnreachable(g.peer());
        } else if (input instanceof Request.OfferRoles o) {
            node.offerRoles(o.candidacy());
            // Published before the future completes: its caller then sees the released roles gone.
            publisher.publish(publisher.current(node, lastApplied));
            o.future().complete(null);
        } else if (input instanceof Request r) {
            requests.start(r, node);
        }
        // WAKE_UP: nothing to do, the loop re-checks `closing`.
    }

    /** The {@link Ready} contract, in its order. */
    private void processReady() {
        while (node.hasReady()) {
            Ready ready = node.ready();
            publisher.publishLeaseLossBeforeSending(node, lastApplied);
            if (ready.sendBeforePersist()) {
                ready.messages().forEach(this::send); // the fsync below then overlaps the round trip
            }
            if (ready.mustPersist()) {
                storage.persist(ready.snapshot(), ready.entries(), ready.hardState());
            }
            if (ready.snapshot() != null) {
                restoreSnapshot(ready.snapshot());
            }
            if (!ready.sendBeforePersist()) {
                ready.messages().forEach(this::send);
            }
            for (LogEntry entry : ready.committedEntries()) {
                apply(entry);
            }
            for (ReadState read : ready.readStates()) {
                requests.readAnswered(read, node.leaderId());
            }
            node.advance(ready);
            if (ready.softState() != null) {
                // Publish the new role before failing any future, so a caller that sees
                // LeadershipLostException also sees this node no longer leading.
                publisher.publish(publisher.current(node, lastApplied));
            }
            if (ready.softState() != null && ready.softState().role() != Role.LEADER) {
                requests.failProposals(
                        Long.MAX_VALUE,
                        "node '" + nodeId + "' stopped leading (it is "
                                + ready.softState().role()
                                + " in term " + ready.softState().term()
                                + ") before the entry was applied; it may still be"
                                + " committed by the new leader "
                                + ready.softState().leaderId());
            }
        }
    }

    private void send(Message m) {
        try {
            transport.send(m);
        } catch (RuntimeException e) {
            // Raft tolerates a lost message; a transport should not throw, but must not stop us.
            LOG.log(Level.WARNING, "node " + nodeId + ": transport failed to send " + m, e);
        }
    }

    private void restoreSnapshot(Snapshot snapshot) {
        stateMachine.restore(snapshot.data());
        lastApplied = snapshot.lastIndex();
        snapshots.snapshotAt(snapshot.lastIndex());
        requests.failProposals(
                snapshot.lastIndex(),
                "node '" + nodeId + "' installed a snapshot up to " + snapshot.lastIndex()
                        + " from the leader before applying the entry itself");
        LOG.log(
                Level.INFO,
                "node {0}: term {1}: state machine restored from a snapshot up to index {2}",
                nodeId,
                node.term(),
                snapshot.lastIndex());
        listeners.snapshotRestored(snapshot.lastIndex());
    }

    private void apply(LogEntry entry) {
        Object result = null;
        if (entry.type() == EntryType.NORMAL) {
            result = stateMachine.apply(entry.index(), entry.data());
        } else if (entry.type() == EntryType.MEMBERSHIP) {
            result = entry.index(); // what changeMembership's future completes with
        }
        lastApplied = entry.index();
        requests.applied(entry, result);
        if (entry.type() == EntryType.NORMAL) {
            listeners.applied(entry.index(), entry.data(), result);
        }
    }

    /** Housekeeping after the Ready work: reads, snapshots, transfers, status. */
    private void afterReady() {
        requests.appliedUpTo(lastApplied);
        if (requests.hasProposals() && node.role() != Role.LEADER) {
            requests.failProposals(
                    Long.MAX_VALUE,
                    "node '" + nodeId + "' is no longer the leader (" + node.role() + ", leader " + node.leaderId()
                            + "); the entry may still be committed by the new leader");
        }
        snapshots.maybeSnapshot(node, stateMachine, storage);
        requests.checkTransfers(node.role() == Role.LEADER, node.transferTarget());
        publisher.publish(publisher.current(node, lastApplied));
    }

    private void shutDown() {
        // A stopped node leads nothing: publish that first, before any failed future's callbacks run.
        publisher.publishStopped(lastApplied);
        Throwable cause = haltCause;
        if (cause != null) {
            LOG.log(
                    Level.ERROR,
                    "node " + nodeId + ": HALTED, the Raft loop stopped and will not continue. Fix the cause"
                            + " (storage? disk full? corrupted data?) and restart the node",
                    cause);
        } else {
            LOG.log(Level.INFO, "node {0}: Raft loop closed", nodeId);
        }
        // A pending proposal is in this node's log: a new leader may still commit it.
        requests.failAll(cause != null ? cause : stoppedException(true), cause != null ? cause : stoppedException());
        if (cause != null) {
            listeners.halted(cause);
        }
        closeStorage();
        lifecycle = Lifecycle.STOPPED;
        drainQueue();
    }

    private void drainQueue() {
        Object input;
        while ((input = queue.poll()) != null) {
            failUnhandled(input);
        }
    }

    private void failUnhandled(Object input) {
        if (input instanceof Request r) {
            r.future().completeExceptionally(stoppedException());
        }
    }

    /** For a request the loop never took: nothing was proposed. */
    private RaftLoopStoppedException stoppedException() {
        return stoppedException(false);
    }

    private RaftLoopStoppedException stoppedException(boolean proposed) {
        String fate = proposed
                ? "; the command was already in this node's log and may still be committed by the next leader"
                : "; nothing was proposed";
        Throwable cause = haltCause;
        if (cause != null) {
            return new RaftLoopStoppedException(
                    "node '" + nodeId + "' halted after an unrecoverable error (" + cause
                            + "); fix it and restart the node" + fate,
                    cause,
                    proposed);
        }
        return new RaftLoopStoppedException(
                "node '" + nodeId + "': the Raft loop is " + (lifecycle == Lifecycle.NEW ? "not started yet" : "closed")
                        + fate,
                null,
                proposed);
    }

    private void closeStorage() {
        try {
            storage.close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "node " + nodeId + ": closing the storage failed", e);
        }
    }

    @Override
    public String toString() {
        RaftStatus s = publisher.status();
        return "RaftLoop[" + nodeId + " " + s.role() + " term=" + s.term() + " leader=" + s.leaderId() + "]";
    }
}
