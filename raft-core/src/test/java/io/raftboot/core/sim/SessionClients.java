package io.raftboot.core.sim;

import io.raftboot.core.client.ForwardOutcome;
import io.raftboot.core.client.WriteFate;
import io.raftboot.core.sim.InvariantChecker.InvariantViolation;
import io.raftboot.core.store.ConfigCommand;
import io.raftboot.core.store.ConfigResult;
import io.raftboot.core.store.ConfigStore;
import io.raftboot.core.store.SessionCommand;
import io.raftboot.core.store.VersionedValue;
import io.raftboot.testsupport.history.CheckResult;
import io.raftboot.testsupport.history.LinearizabilityChecker;
import io.raftboot.testsupport.history.Operation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Clients of the replicated config store that behave like the starter's {@code SessionWriter}
 * and linearizable reads, inside the simulation: each lives on a home node (the application
 * process that calls {@code ReplicatedConfig}), opens a client session through the log (Raft
 * thesis §6.3), and sends every request to the leader its home node knows, across the simulated
 * network, followers included (the forwarding path). A request or its answer may be lost; the
 * client then retries the same session sequence number, at whichever node leads by then, until
 * its deadline. What it does after each outcome is the starter's own rule ({@link WriteFate}, which
 * {@code SessionWriter} follows too): an operation it gives up on is recorded as unknown if an
 * attempt may have reached a log, and not at all if it surely did not (were that wrong, the
 * history could not explain the write's effect). When its home node crashes, its operation in
 * flight stays unknown and the next incarnation opens a new session.
 *
 * <p>Every operation is recorded with its invocation and completion in virtual time; at the end
 * the history must be linearizable ({@link LinearizabilityChecker}). A write applied twice, a
 * lost update, a stale read or a lock won twice make it fail.
 */
final class SessionClients {

    /** What the simulation lends the clients. */
    interface Host {
        long now();

        void schedule(long delay, Runnable action);

        boolean linkUp(String from, String to);

        long latency();

        /** Up and processing (not paused): a request reaching it is handled. */
        boolean accepting(String id);

        int incarnation(String id);

        /** The leader {@code id} knows of (maybe itself), or null. */
        String leaderKnownBy(String id);

        /** Proposes on {@code id}; the log index, or -1 if it does not lead. Runs the node's Ready work. */
        long propose(String id, byte[] command);

        long term(String id);

        /** Asks {@code id} for a read index; false if it does not lead. Runs the node's Ready work. */
        boolean readIndex(String id, long requestId);

        long lastApplied(String id);

        ConfigStore store(String id);
    }

    private static final int KEYS = 3;
    /** An attempt without an answer after this long is presumed lost (the client's per-call deadline). */
    private static final long ATTEMPT_TIMEOUT_TICKS = 25;
    /** raft.write-timeout: the client gives up on an operation after this long. */
    private static final long OPERATION_TIMEOUT_TICKS = 150;

    private static final long RETRY_TICKS = 2;

    private enum Kind {
        PUT,
        DELETE,
        CAS,
        READ
    }

    /** A write (or session opening) proposed on {@code node} in {@code term}, answered when that node applies it. */
    private record PendingWrite(Client client, String node, long term, Consumer<ConfigResult> onResult) {}

    /** A read index asked of {@code node}. */
    private record PendingRead(Client client, String node, LongConsumer onIndex) {}

    private final Host host;
    private final SplittableRandom random;
    private final long tick;
    private final List<Client> clients = new ArrayList<>();
    private final List<Operation> history = new ArrayList<>();
    /** By "node@index": writes proposed there, answered when that node applies the index in the same term. */
    private final Map<String, PendingWrite> proposed = new HashMap<>();
    /** By read request id: reads asked of a leader. */
    private final Map<Long, PendingRead> readsAsked = new HashMap<>();

    private long nextReadId = 1L << 40; // apart from the simulation's own read ids
    private int nextOperationId;
    /** Attempt ids are unique across all operations: a late answer can never pass for the current attempt's. */
    private long nextAttemptId;

    private boolean open = true;

    SessionClients(Host host, SplittableRandom random, long tick, List<String> homes) {
        this.host = host;
        this.random = random;
        this.tick = tick;
        for (int i = 0; i < homes.size(); i++) {
            clients.add(new Client("c" + i, homes.get(i)));
        }
    }

    /** Starts every client; they issue operations until {@link #stop}. */
    void start() {
        clients.forEach(c -> host.schedule(random.nextLong(5 * tick), c::nextOperation));
    }

    /** No new operations from now on; those in flight finish or time out. */
    void stop() {
        open = false;
    }

    // ------------------------------------------------------------------ hooks of the simulation

    /** Node {@code node} applied the entry at {@code index} of {@code term} with {@code result}. */
    void onApplied(String node, long index, long term, Object result) {
        PendingWrite p = proposed.remove(node + "@" + index);
        if (p != null && p.term() == term && result instanceof ConfigResult r) {
            reply(p.client(), node, () -> p.onResult().accept(r));
        }
    }

    /** Node {@code node} confirmed (or not) read request {@code requestId} at {@code index}. */
    boolean onReadState(long requestId, long index, boolean ok) {
        PendingRead p = readsAsked.remove(requestId);
        if (p == null) {
            return false;
        }
        if (ok) {
            reply(p.client(), p.node(), () -> p.onIndex().accept(index));
        }
        return true;
    }

    /** A node crashed: what it had been asked is gone with it; its clients' operations stay unknown. */
    void onCrash(String node) {
        proposed.values().removeIf(p -> p.node().equals(node));
        readsAsked.values().removeIf(p -> p.node().equals(node));
        for (Client c : clients) {
            if (c.home.equals(node)) {
                c.homeCrashed();
            }
        }
    }

    /** An answer from {@code node} travels back to the client's home node, unless the process that asked is gone. */
    private void reply(Client client, String node, Runnable atClient) {
        int incarnation = client.incarnation;
        if (host.incarnation(client.home) != incarnation || !send(node, client.home)) {
            return;
        }
        host.schedule(node.equals(client.home) ? 0 : host.latency(), () -> {
            if (host.incarnation(client.home) == incarnation) {
                atClient.run();
            }
        });
    }

    private boolean send(String from, String to) {
        return from.equals(to) || host.linkUp(from, to);
    }

    // ------------------------------------------------------------------ the end

    /** The recorded history (operations still in flight are unknown). */
    List<Operation> history() {
        List<Operation> all = new ArrayList<>(history);
        for (Client c : clients) {
            if (c.current != null) {
                all.add(c.current.unknown());
            }
        }
        return all;
    }

    /** Throws if the history is not linearizable (or the checker cannot tell). */
    String checkLinearizable() {
        List<Operation> all = history();
        CheckResult result = LinearizabilityChecker.check(all);
        if (!result.linearizable()) {
            throw new InvariantViolation("client history of " + all.size() + " operations is "
                    + (result.inconclusive() ? "inconclusive" : "not linearizable") + ": " + result.explanation());
        }
        long unknown = all.stream().filter(Operation::isUnknown).count();
        return all.size() + " client operations (" + unknown + " unknown) linearizable";
    }

    // ------------------------------------------------------------------ a client

    /** An operation in flight. */
    private final class Call {
        final int id = nextOperationId++;
        final String client;
        final Kind kind;
        final String key;
        final String value;
        final long expectedVersion;
        final long invoked = host.now();
        long sequence;
        long attempt;
        /** The starter's rules for a write's next step (reads need none: they change nothing). */
        final WriteFate fate = new WriteFate();

        Call(String client, Kind kind, String key, String value, long expectedVersion) {
            this.client = client;
            this.kind = kind;
            this.key = key;
            this.value = value;
            this.expectedVersion = expectedVersion;
        }

        Operation unknown() {
            return switch (kind) {
                case PUT -> Operation.unknownPut(id, client, key, value, invoked);
                case DELETE -> Operation.unknownDelete(id, client, key, invoked);
                case CAS -> Operation.unknownCas(id, client, key, expectedVersion, value, invoked);
                case READ -> Operation.unknownRead(id, client, key, invoked);
            };
        }

        ConfigCommand command() {
            return switch (kind) {
                case PUT -> new ConfigCommand.Put(key, utf8(value));
                case DELETE -> new ConfigCommand.Delete(key);
                case CAS -> new ConfigCommand.CompareAndSet(key, expectedVersion, value == null ? null : utf8(value));
                case READ -> throw new IllegalStateException("a read is no command");
            };
        }
    }

    private final class Client {
        final String name;
        final String home;
        int incarnation;
        long session;
        long nextSequence = 1;
        boolean opening;
        long openAttempt;
        Call current;

        Client(String name, String home) {
            this.name = name;
            this.home = home;
        }

        void nextOperation() {
            if (!open || current != null) {
                return;
            }
            if (!host.accepting(home)) {
                host.schedule(5 * tick, this::nextOperation);
                return;
            }
            if (incarnation != host.incarnation(home)) {
                incarnation = host.incarnation(home);
                session = 0; // a new process: a new session
            }
            String key = "session-k" + random.nextInt(KEYS); // apart from the simulation's own writes (k0..k4)
            int roll = random.nextInt(10);
            String value = name + "-" + nextOperationId;
            if (roll < 3) {
                current = new Call(name, Kind.READ, key, null, 0);
            } else if (roll < 6) {
                current = new Call(name, Kind.PUT, key, value, 0);
            } else if (roll < 7) {
                current = new Call(name, Kind.DELETE, key, null, 0);
            } else {
                // Against the home node's (maybe stale) view, like an application would.
                long version =
                        host.store(home).get(key).map(VersionedValue::version).orElse(0L);
                current = new Call(name, Kind.CAS, key, version > 0 && roll == 9 ? null : value, version);
            }
            attempt();
        }

        void attempt() {
            Call call = current;
            if (call == null || incarnation != host.incarnation(home)) {
                return;
            }
            if (host.now() - call.invoked > OPERATION_TIMEOUT_TICKS * tick) {
                if (call.kind == Kind.READ) {
                    end(call.unknown());
                } else {
                    decide(call, call.fate.onDeadline());
                }
                return;
            }
            if (call.kind != Kind.READ && session == 0) {
                openSession();
                return;
            }
            if (call.kind != Kind.READ && call.sequence == 0) {
                call.sequence = nextSequence++;
            }
            long attempt = ++nextAttemptId;
            call.attempt = attempt;
            String target = host.leaderKnownBy(home);
            if (target != null && send(home, target)) {
                byte[] bytes = call.kind == Kind.READ
                        ? null
                        : host.store(home)
                                .encode(new SessionCommand.Write(
                                        session, call.sequence, call.sequence, call.command()));
                host.schedule(target.equals(home) ? 0 : host.latency(), () -> arrive(target, attempt, bytes));
            }
            host.schedule(ATTEMPT_TIMEOUT_TICKS * tick, () -> {
                if (current == call && call.attempt == attempt) {
                    // No answer in time: the request or its answer was lost, or the node is slow.
                    decide(
                            call,
                            call.fate.onOutcome(
                                    new ForwardOutcome.OutcomeUnknown("no answer within the attempt's deadline")));
                }
            });
        }

        /** The request reached {@code target}: it proposes (or asks for a read index) if it leads. */
        void arrive(String target, long attempt, byte[] bytes) {
            if (!host.accepting(target)) {
                return; // dropped: the client's per-attempt deadline retries it
            }
            if (bytes == null) {
                long id = nextReadId++;
                readsAsked.put(id, new PendingRead(this, target, index -> onReadIndex(attempt, index)));
                if (!host.readIndex(target, id)) {
                    readsAsked.remove(id);
                    reply(this, target, () -> notLeader(attempt));
                }
                return;
            }
            long term = host.term(target);
            long index = host.propose(target, bytes);
            if (index < 0) {
                reply(this, target, () -> notLeader(attempt));
            } else {
                proposed.put(
                        target + "@" + index, new PendingWrite(this, target, term, r -> onWriteAnswer(attempt, r)));
            }
        }

        void notLeader(long attempt) {
            Call call = current;
            if (call != null && call.attempt == attempt) {
                decide(call, call.fate.onOutcome(new ForwardOutcome.NotLeader(null, "not the leader")));
            }
        }

        void onWriteAnswer(long attempt, ConfigResult r) {
            Call call = current;
            if (call == null || call.attempt != attempt) {
                return; // a late answer to an earlier attempt: the current one will be answered alike
            }
            if (r.outcome() == ConfigResult.Outcome.SESSION_EXPIRED) {
                session = 0;
            }
            decide(call, call.fate.onOutcome(new ForwardOutcome.Applied(r)));
        }

        /** Does what the starter's writer does after each outcome ({@link WriteFate}). */
        void decide(Call call, WriteFate.Decision decision) {
            if (call.kind == Kind.READ) {
                host.schedule(RETRY_TICKS * tick, this::attempt); // a read is retried until its deadline
            } else if (decision instanceof WriteFate.Retry) {
                host.schedule(RETRY_TICKS * tick, this::attempt);
            } else if (decision instanceof WriteFate.Renumber) {
                call.sequence = 0;
                attempt();
            } else if (decision instanceof WriteFate.Answered answered) {
                ConfigResult r = answered.result();
                long now = host.now();
                end(
                        switch (call.kind) {
                            case PUT ->
                                Operation.put(call.id, name, call.key, call.value, call.invoked, now, r.newVersion());
                            case DELETE -> Operation.delete(call.id, name, call.key, call.invoked, now, r.applied());
                            case CAS ->
                                Operation.cas(
                                        call.id,
                                        name,
                                        call.key,
                                        call.expectedVersion,
                                        call.value,
                                        call.invoked,
                                        now,
                                        r.applied(),
                                        r.newVersion());
                            case READ -> throw new IllegalStateException("a read got a write's answer");
                        });
            } else if (decision instanceof WriteFate.GiveUp giveUp) {
                // "Surely not applied" is not recorded: if it did apply, the history cannot explain its effect.
                end(giveUp.outcomeUnknown() ? call.unknown() : null);
            } else if (decision instanceof WriteFate.Refused refused) {
                end(refused.outcomeUnknown() ? call.unknown() : null);
            }
        }

        /** The leader confirmed a read index: read the home node's copy once it applied that far. */
        void onReadIndex(long attempt, long index) {
            Call call = current;
            if (call == null || call.attempt != attempt || incarnation != host.incarnation(home)) {
                return;
            }
            if (host.lastApplied(home) < index) {
                host.schedule(tick / 4, () -> onReadIndex(attempt, index));
                return;
            }
            VersionedValue v = host.store(home).get(call.key).orElse(null);
            end(Operation.read(
                    call.id,
                    name,
                    call.key,
                    call.invoked,
                    host.now(),
                    v == null ? null : v.valueAsString(),
                    v == null ? 0 : v.version()));
        }

        void openSession() {
            if (opening) {
                return;
            }
            opening = true;
            long attempt = ++nextAttemptId;
            openAttempt = attempt;
            String target = host.leaderKnownBy(home);
            byte[] bytes = host.store(home).encodeOpenSession();
            if (target != null && send(home, target)) {
                host.schedule(target.equals(home) ? 0 : host.latency(), () -> {
                    if (!host.accepting(target)) {
                        return;
                    }
                    long term = host.term(target);
                    long index = host.propose(target, bytes);
                    if (index >= 0) {
                        proposed.put(
                                target + "@" + index, new PendingWrite(this, target, term, r -> opened(attempt, r)));
                    }
                });
            }
            host.schedule(ATTEMPT_TIMEOUT_TICKS * tick, () -> {
                if (opening && openAttempt == attempt) {
                    opening = false;
                    attempt(); // an unanswered opening may leave an unused session behind: harmless
                }
            });
        }

        void opened(long attempt, ConfigResult r) {
            if (!opening || openAttempt != attempt || r.outcome() != ConfigResult.Outcome.SESSION_OPENED) {
                return;
            }
            opening = false;
            session = r.modIndex();
            nextSequence = 1;
            attempt();
        }

        /** The current operation ended: recorded as {@code recorded} (null: surely without effect, not recorded). */
        void end(Operation recorded) {
            if (recorded != null) {
                history.add(recorded);
            }
            current = null;
            host.schedule((1 + random.nextInt(4)) * tick, this::nextOperation);
        }

        void homeCrashed() {
            if (current != null) {
                history.add(current.unknown());
                current = null;
            }
            opening = false;
            session = 0;
            host.schedule(10 * tick, this::nextOperation);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
