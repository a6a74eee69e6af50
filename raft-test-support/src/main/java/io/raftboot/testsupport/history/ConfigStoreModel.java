package io.raftboot.testsupport.history;

import java.util.Objects;

/**
 * The sequential specification of one key of {@code io.raftboot.core.store.ConfigStore}: what each
 * operation does to the key and what it must answer.
 *
 * <ul>
 *   <li>PUT always applies: version + 1 (1 when it creates the key).
 *   <li>DELETE applies iff the key is present; the key is absent afterwards (version 0).
 *   <li>CAS applies iff the current version is the expected one (0 = absent); a null new value
 *       deletes (version 0), otherwise version + 1. Not applied: it reports the current version.
 *   <li>READ returns the value and version.
 * </ul>
 * A key deleted and created again starts over at version 1, as in the store.
 */
final class ConfigStoreModel {

    private ConfigStoreModel() {}

    /**
     * The state after {@code op} runs in {@code state}, or {@code null} if its recorded result is not
     * what it would answer there. An operation with an unknown outcome always fits: its answer is
     * unconstrained.
     */
    static KeyState step(KeyState state, Operation op) {
        KeyState after = effect(state, op);
        if (op.isUnknown() || answers(state, after, op)) {
            return after;
        }
        return null;
    }

    /** Why {@code op} cannot run in {@code state} ({@code null} if it can). */
    static String misfit(KeyState state, Operation op) {
        if (step(state, op) != null) {
            return null;
        }
        KeyState after = effect(state, op);
        String expected = switch (op.kind()) {
            case READ -> after.toString();
            case PUT -> "applied v" + after.version();
            case DELETE -> (state.present() ? "applied v" : "not applied v") + after.version();
            case CAS -> (state.version() == op.expectedVersion() ? "applied v" : "not applied v") + after.version();
        };
        return "in state " + state + " it would answer " + expected;
    }

    private static KeyState effect(KeyState state, Operation op) {
        return switch (op.kind()) {
            case READ -> state;
            case PUT -> new KeyState(op.value(), state.version() + 1);
            case DELETE -> KeyState.ABSENT;
            case CAS -> {
                if (state.version() != op.expectedVersion()) {
                    yield state;
                }
                yield op.value() == null ? KeyState.ABSENT : new KeyState(op.value(), state.version() + 1);
            }
        };
    }

    private static boolean answers(KeyState before, KeyState after, Operation op) {
        Result r = op.result();
        return switch (op.kind()) {
            case READ -> r.version() == before.version() && Objects.equals(r.value(), before.value());
            case PUT -> r.applied() && r.version() == after.version();
            // A delete applies iff the key was there; a CAS iff its version matched (which a CAS
            // expecting 0 never has when the key is present, and vice versa).
            case DELETE -> r.applied() == before.present() && r.version() == 0;
            case CAS -> r.applied() == (before.version() == op.expectedVersion()) && r.version() == after.version();
        };
    }
}
