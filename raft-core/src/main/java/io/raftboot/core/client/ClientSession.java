package io.raftboot.core.client;

import java.util.TreeSet;

/**
 * A client's side of its session (Raft thesis §6.3): the session id once opened, the next
 * sequence number, and the writes still waiting for their answer, whose smallest sequence each
 * write carries so the store may forget the results the client has seen. Thread-safe.
 *
 * <p>A session belongs to one process's lifetime: a node that restarts opens a new one. A write
 * the old process had in flight is then never retried; it is applied at most once (the log may
 * hold it, and a new leader may commit it), and nobody learns its result.
 */
public final class ClientSession {

    private long sessionId;
    private long nextSequence = 1;
    private final TreeSet<Long> inFlight = new TreeSet<>();

    /** The session id, or 0 while none is open. */
    public synchronized long id() {
        return sessionId;
    }

    /** Records the id of the session just opened; writes of an expired one start over with it. */
    public synchronized void opened(long id) {
        if (id < 1) {
            throw new IllegalArgumentException("a session id is a log index (>= 1), got " + id);
        }
        sessionId = id;
        nextSequence = 1;
        inFlight.clear();
    }

    /** Forgets an expired session {@code id} (if it is still the current one), so the next write opens another. */
    public synchronized void expired(long id) {
        if (sessionId == id) {
            sessionId = 0;
        }
    }

    /** A write's place in a session: the session it was numbered in and its sequence number there. */
    public record Ticket(long sessionId, long sequence) {}

    /** Numbers a new write in the current session; null when no session is open (it expired meanwhile). */
    public synchronized Ticket tryBegin() {
        if (sessionId == 0) {
            return null;
        }
        long sequence = nextSequence++;
        inFlight.add(sequence);
        return new Ticket(sessionId, sequence);
    }

    /**
     * Whether a new write would span {@code maxResults} sequence numbers or more from the oldest
     * unanswered one: the store would forget that one's result (it keeps {@code maxResults} per
     * session) and answer its retry STALE_REQUEST. Refuse the new write instead.
     */
    public synchronized boolean full(int maxResults) {
        return !inFlight.isEmpty() && nextSequence - inFlight.first() >= maxResults;
    }

    /** The write's answer arrived, or the client gave up on it: its result may be forgotten. */
    public synchronized void finish(Ticket ticket) {
        if (ticket.sessionId() == sessionId) {
            inFlight.remove(ticket.sequence());
        }
    }

    /** The smallest sequence of the ticket's session whose answer the client has not seen (the ticket's at most). */
    public synchronized long lowestUnacknowledged(Ticket ticket) {
        if (ticket.sessionId() != sessionId || inFlight.isEmpty()) {
            return ticket.sequence();
        }
        return Math.min(ticket.sequence(), inFlight.first());
    }
}
