package io.raftboot.core.client;

import io.raftboot.core.store.ConfigResult;

/**
 * What one exactly-once write (a numbered write of a client session, Raft thesis §6.3) does
 * next, from the outcomes of its attempts so far. The write path's meaning, decided in one place:
 * the starter's writer and the simulation's clients both follow it, so the simulation checks what
 * the starter does. One write's attempts are handled one after another; not thread-safe.
 *
 * <p>The rules: every outcome but a refusal is retried with the same sequence number, since the
 * store applies it once; a write whose session the store no longer knows is numbered again in a
 * new session only if no attempt can have reached a log; giving up says "applied once or never"
 * if an attempt may have reached a log, "surely not applied" otherwise.
 */
public final class WriteFate {

    /** What to do after an outcome. */
    public sealed interface Decision permits Retry, Renumber, Answered, Refused, GiveUp {}

    /** Send the same numbered write again, after a pause. */
    public record Retry(String reason) implements Decision {}

    /** The session is gone and no attempt can have applied: number the write again in a new session. */
    public record Renumber() implements Decision {}

    /** The write's answer (which may be a refusal by the store, such as a compare-and-set mismatch). */
    public record Answered(ConfigResult result) implements Decision {}

    /**
     * The leader refused the write (malformed, over its limits, not allowed): stop, do not retry.
     * {@code outcomeUnknown}: an earlier attempt may have reached a log.
     */
    public record Refused(boolean outcomeUnknown, String reason) implements Decision {}

    /**
     * Stop without an answer (the deadline passed, or the session lost an attempt's result).
     * {@code outcomeUnknown}: an attempt may have reached a log, so the write is applied once or
     * never; otherwise no leader took it and it surely is not applied.
     */
    public record GiveUp(boolean outcomeUnknown, String reason) implements Decision {}

    private boolean mayHaveApplied;
    private String lastProblem = "no attempt answered";

    /** The outcome of one attempt. */
    public Decision onOutcome(ForwardOutcome outcome) {
        if (outcome instanceof ForwardOutcome.Applied applied) {
            return onResult(applied.result());
        }
        if (outcome instanceof ForwardOutcome.Rejected rejected) {
            return new Refused(mayHaveApplied, rejected.reason());
        }
        mayHaveApplied |= !outcome.surelyNotApplied();
        lastProblem = outcome.toString();
        return new Retry(lastProblem);
    }

    private Decision onResult(ConfigResult r) {
        return switch (r.outcome()) {
            case SESSION_EXPIRED ->
                mayHaveApplied
                        ? new GiveUp(true, "its client session expired after an attempt that may have reached the log")
                        : new Renumber();
            // The store forgot this sequence's result: only an earlier attempt can have been answered by it.
            case STALE_REQUEST ->
                new GiveUp(true, "its client session no longer remembers an earlier attempt's result");
            default -> new Answered(r);
        };
    }

    /** The write's deadline passed without an answer. */
    public GiveUp onDeadline() {
        return new GiveUp(mayHaveApplied, "no answer before the deadline; last: " + lastProblem);
    }

    /**
     * Stop before the deadline: the node knows it cannot reach a leader (it has known none for
     * long). Like {@link #onDeadline()}, "applied once or never" if an attempt may have reached a log.
     */
    public GiveUp onCutOff(String why) {
        lastProblem = why;
        return new GiveUp(mayHaveApplied, why);
    }

    /** Whether an attempt so far may have reached a log. */
    public boolean mayHaveApplied() {
        return mayHaveApplied;
    }

    /** The last outcome that was not an answer, for messages. */
    public String lastProblem() {
        return lastProblem;
    }
}
