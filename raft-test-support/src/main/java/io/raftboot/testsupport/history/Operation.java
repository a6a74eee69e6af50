package io.raftboot.testsupport.history;

import java.util.Objects;

/**
 * One operation of a client on the replicated config store, as the client saw it: when it was
 * invoked, when (and whether) it completed, and what the store answered.
 *
 * <p>What to record: every operation the client sent that may have had an effect. An operation that
 * <em>surely</em> failed without effect (refused by validation, rejected before it was proposed,
 * reported as surely not committed) is simply not recorded: there is no "failed" outcome. When the
 * client cannot tell (timeout, lost leader, a reset connection), record it with
 * {@link Outcome#UNKNOWN}: it may then take effect at any single point after its invocation, or
 * never, and its output is unconstrained. A client that retries records the whole thing as
 * <em>one</em> operation: invoked when the first attempt was sent, completed with the answer that
 * ended the retries (or unknown if none did). Recording each attempt as an operation of its own
 * would make a write applied twice look legal (two writes, each applied once).
 *
 * <p>Times are {@link System#nanoTime()} values; on Linux they come from CLOCK_MONOTONIC and can be
 * compared between processes of one host. An operation invoked at the very nanosecond another
 * completed is treated as concurrent with it (the lenient choice: clocks have a granularity).
 *
 * @param id a number that names the operation in explanations (need not be unique across processes)
 * @param client who issued it (a client, a thread, a process); only used in explanations
 * @param key the config key
 * @param kind what the operation does
 * @param value PUT: the value written; CAS: the new value ({@code null} = the CAS deletes the key);
 *     {@code null} for DELETE and READ
 * @param expectedVersion CAS only: the version the key must have (0 = the key must be absent); 0 for
 *     the other kinds
 * @param invokeNanos when the client sent it
 * @param completeNanos when the client got the answer; {@link Long#MAX_VALUE} if the outcome is
 *     unknown (any value is treated as +infinity for an unknown outcome)
 * @param outcome whether the client got an answer
 * @param result the answer; ignored (may be {@code null}) when the outcome is unknown
 */
public record Operation(
        int id,
        String client,
        String key,
        OpKind kind,
        String value,
        long expectedVersion,
        long invokeNanos,
        long completeNanos,
        Outcome outcome,
        Result result) {

    /** The completion time of an operation whose outcome is unknown. */
    public static final long NEVER = Long.MAX_VALUE;

    public Operation {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(outcome, "outcome");
        String self = "operation #" + id + " (" + kind + " of key '" + key + "' by " + client + ")";
        if (kind == OpKind.PUT && value == null) {
            throw new IllegalArgumentException(self + ": a PUT needs a value");
        }
        if ((kind == OpKind.DELETE || kind == OpKind.READ) && value != null) {
            throw new IllegalArgumentException(self + ": a " + kind + " has no value");
        }
        if (kind == OpKind.CAS) {
            if (expectedVersion < 0) {
                throw new IllegalArgumentException(self + ": expectedVersion must be >= 0, got " + expectedVersion);
            }
            if (expectedVersion == 0 && value == null) {
                // ConfigCommand.CompareAndSet refuses it too: it could never change anything.
                throw new IllegalArgumentException(self + ": a CAS expecting the key absent cannot delete it");
            }
        } else if (expectedVersion != 0) {
            throw new IllegalArgumentException(self + ": only a CAS has an expected version, got " + expectedVersion);
        }
        if (outcome == Outcome.OK) {
            Objects.requireNonNull(result, self + ": an operation with a known outcome needs its result");
            if (completeNanos == NEVER || completeNanos < invokeNanos) {
                throw new IllegalArgumentException(
                        self + ": completed at " + completeNanos + ", invoked at " + invokeNanos);
            }
        }
    }

    // ------------------------------------------------------------------ completed operations

    /** A PUT the store acknowledged, leaving the key at {@code versionAfter}. */
    public static Operation put(
            int id, String client, String key, String value, long invokeNanos, long completeNanos, long versionAfter) {
        return new Operation(
                id,
                client,
                key,
                OpKind.PUT,
                value,
                0,
                invokeNanos,
                completeNanos,
                Outcome.OK,
                Result.applied(versionAfter));
    }

    /** A DELETE the store answered: {@code applied} if the key was present (it is absent afterwards either way). */
    public static Operation delete(
            int id, String client, String key, long invokeNanos, long completeNanos, boolean applied) {
        return new Operation(
                id,
                client,
                key,
                OpKind.DELETE,
                null,
                0,
                invokeNanos,
                completeNanos,
                Outcome.OK,
                applied ? Result.applied(0) : Result.notApplied(0));
    }

    /**
     * A CAS the store answered.
     *
     * @param newValue {@code null} for a CAS that deletes
     * @param version if applied, the key's version after it (0 if it deleted); if not, the version it found
     */
    public static Operation cas(
            int id,
            String client,
            String key,
            long expectedVersion,
            String newValue,
            long invokeNanos,
            long completeNanos,
            boolean applied,
            long version) {
        return new Operation(
                id,
                client,
                key,
                OpKind.CAS,
                newValue,
                expectedVersion,
                invokeNanos,
                completeNanos,
                Outcome.OK,
                applied ? Result.applied(version) : Result.notApplied(version));
    }

    /** A READ that saw {@code valueRead} at {@code versionRead}; {@code (null, 0)} for an absent key. */
    public static Operation read(
            int id,
            String client,
            String key,
            long invokeNanos,
            long completeNanos,
            String valueRead,
            long versionRead) {
        return new Operation(
                id,
                client,
                key,
                OpKind.READ,
                null,
                0,
                invokeNanos,
                completeNanos,
                Outcome.OK,
                Result.read(valueRead, versionRead));
    }

    // ------------------------------------------------------------------ invoked operations (outcome unknown)

    /** A PUT invoked at {@code invokeNanos} whose outcome is unknown (until {@link #completed}). */
    public static Operation unknownPut(int id, String client, String key, String value, long invokeNanos) {
        return new Operation(id, client, key, OpKind.PUT, value, 0, invokeNanos, NEVER, Outcome.UNKNOWN, null);
    }

    /** A DELETE invoked at {@code invokeNanos} whose outcome is unknown (until {@link #completed}). */
    public static Operation unknownDelete(int id, String client, String key, long invokeNanos) {
        return new Operation(id, client, key, OpKind.DELETE, null, 0, invokeNanos, NEVER, Outcome.UNKNOWN, null);
    }

    /** A CAS invoked at {@code invokeNanos} whose outcome is unknown (until {@link #completed}). */
    public static Operation unknownCas(
            int id, String client, String key, long expectedVersion, String newValue, long invokeNanos) {
        return new Operation(
                id, client, key, OpKind.CAS, newValue, expectedVersion, invokeNanos, NEVER, Outcome.UNKNOWN, null);
    }

    /** A READ invoked at {@code invokeNanos} whose outcome is unknown; it constrains nothing. */
    public static Operation unknownRead(int id, String client, String key, long invokeNanos) {
        return new Operation(id, client, key, OpKind.READ, null, 0, invokeNanos, NEVER, Outcome.UNKNOWN, null);
    }

    /** This operation, answered at {@code completeNanos} with {@code result}: a recorder's second half. */
    public Operation completed(long completeNanos, Result result) {
        return new Operation(
                id, client, key, kind, value, expectedVersion, invokeNanos, completeNanos, Outcome.OK, result);
    }

    public boolean isUnknown() {
        return outcome == Outcome.UNKNOWN;
    }

    /** For explanations: {@code #12 c3 CAS(v2 -> "x") => applied v3}. */
    public String describe() {
        StringBuilder s = new StringBuilder("#")
                .append(id)
                .append(' ')
                .append(client)
                .append(' ')
                .append(kind);
        switch (kind) {
            case PUT -> s.append('(').append(quote(value)).append(')');
            case CAS ->
                s.append("(v")
                        .append(expectedVersion)
                        .append(" -> ")
                        .append(value == null ? "delete" : quote(value))
                        .append(')');
            default -> {}
        }
        s.append(" => ");
        if (isUnknown()) {
            s.append("unknown");
        } else if (kind == OpKind.READ) {
            s.append(result.value() == null ? "absent" : quote(result.value()))
                    .append(" v")
                    .append(result.version());
        } else {
            s.append(result.applied() ? "applied v" : "not applied v").append(result.version());
        }
        return s.toString();
    }

    static String quote(String value) {
        String shown = value.length() <= 40 ? value : value.substring(0, 37) + "...";
        return '"' + shown.replace("\n", "\\n") + '"';
    }
}
