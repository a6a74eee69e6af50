package io.raftboot.core.store;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The client sessions of the {@link ConfigStore} (Raft thesis §6.3): per session, the results of
 * the writes whose answer its client may not have seen yet, so that a retry is answered with the
 * first result instead of being applied again. Part of the replicated state: changed only by
 * applying log entries and carried in snapshots, so every replica holds the same sessions and
 * answers a retry alike. Driver thread only.
 */
final class ClientSessions {

    /** Smallest encoded session: id, last active index, lowest unacknowledged, result limit, result count. */
    private static final int MIN_SESSION_BYTES = 8 + 8 + 8 + 4 + 4;

    private static final class Session {
        final long id;
        final int maxResults;
        long lastActiveIndex;
        long lowestUnacknowledged = 1;
        final TreeMap<Long, ConfigResult> results = new TreeMap<>();

        Session(long id, int maxResults, long lastActiveIndex) {
            this.id = id;
            this.maxResults = maxResults;
            this.lastActiveIndex = lastActiveIndex;
        }
    }

    /** What a session write turned out to be, before it is applied. */
    sealed interface Admission {}

    /** Apply the write, then {@link #record} its result. */
    record Fresh() implements Admission {}

    /** Do not apply: answer {@code result}, which the session already had or which refuses the write. */
    record Answered(ConfigResult result) implements Admission {}

    private final TreeMap<Long, Session> sessions = new TreeMap<>();

    /** Opens session {@code index}, expiring the idlest sessions beyond the command's limit. */
    void open(long index, SessionCommand.Open open) {
        while (sessions.size() >= open.maxSessions()) {
            expireIdlest();
        }
        sessions.put(index, new Session(index, open.maxResults(), index));
    }

    private void expireIdlest() {
        Session idlest = null;
        for (Session s : sessions.values()) {
            if (idlest == null || s.lastActiveIndex < idlest.lastActiveIndex) {
                idlest = s;
            }
        }
        sessions.remove(idlest.id);
    }

    /**
     * Decides whether the write at log index {@code index} is new. Also forgets the results the
     * client has seen ({@link SessionCommand.Write#lowestUnacknowledged()}) and marks the session
     * active, for a retry as for a new write.
     *
     * @param refusal the store's answer, without changing anything, for a refused write (given the outcome)
     */
    Admission admit(long index, SessionCommand.Write write, Function<ConfigResult.Outcome, ConfigResult> refusal) {
        Session s = sessions.get(write.sessionId());
        if (s == null) {
            return new Answered(refusal.apply(ConfigResult.Outcome.SESSION_EXPIRED));
        }
        s.lastActiveIndex = index;
        if (write.lowestUnacknowledged() > s.lowestUnacknowledged) {
            s.lowestUnacknowledged = write.lowestUnacknowledged();
            s.results.headMap(s.lowestUnacknowledged).clear();
        }
        ConfigResult earlier = s.results.get(write.sequence());
        if (earlier != null) {
            return new Answered(earlier);
        }
        if (write.sequence() < s.lowestUnacknowledged) {
            return new Answered(refusal.apply(ConfigResult.Outcome.STALE_REQUEST));
        }
        return new Fresh();
    }

    /** Remembers the result of a write {@link #admit}ted as {@link Fresh}. */
    void record(SessionCommand.Write write, ConfigResult result) {
        Session s = sessions.get(write.sessionId());
        s.results.put(write.sequence(), result);
        while (s.results.size() > s.maxResults) {
            // A client with more writes in flight than it declared: forget the oldest; its retry is STALE_REQUEST.
            s.lowestUnacknowledged = s.results.firstKey() + 1;
            s.results.pollFirstEntry();
        }
    }

    int size() {
        return sessions.size();
    }

    // ------------------------------------------------------------------ snapshot form

    /** count, then per session: id, last active index, lowest unacknowledged, result limit, results (seq, result). */
    void writeTo(DataOutputStream out) throws IOException {
        out.writeInt(sessions.size());
        for (Session s : sessions.values()) {
            out.writeLong(s.id);
            out.writeLong(s.lastActiveIndex);
            out.writeLong(s.lowestUnacknowledged);
            out.writeInt(s.maxResults);
            out.writeInt(s.results.size());
            for (Map.Entry<Long, ConfigResult> r : s.results.entrySet()) {
                out.writeLong(r.getKey());
                ConfigCommandCodec.writeBytes(out, ConfigResultCodec.encode(r.getValue()));
            }
        }
    }

    /** @throws IllegalArgumentException if the bytes are not sessions as {@link #writeTo} writes them */
    static ClientSessions readFrom(ByteBuffer in) {
        ClientSessions table = new ClientSessions();
        int count = ConfigCommandCodec.readInt(in, "session count");
        if (count < 0 || count > in.remaining() / MIN_SESSION_BYTES) {
            throw new IllegalArgumentException(
                    "malformed config store snapshot: " + count + " sessions in " + in.remaining() + " bytes");
        }
        for (int i = 0; i < count; i++) {
            long id = ConfigCommandCodec.readLong(in, "session id");
            long lastActive = ConfigCommandCodec.readLong(in, "session activity");
            long lowest = ConfigCommandCodec.readLong(in, "session acknowledgement");
            int maxResults = ConfigCommandCodec.readInt(in, "session result limit");
            int results = ConfigCommandCodec.readInt(in, "session result count");
            if (id < 1
                    || lowest < 1
                    || maxResults < 1
                    || results < 0
                    || results > maxResults
                    || table.sessions.containsKey(id)) {
                throw new IllegalArgumentException("malformed config store snapshot: session " + id + " (lowest "
                        + lowest + ", " + results + " of at most " + maxResults + " results)");
            }
            Session s = new Session(id, maxResults, lastActive);
            s.lowestUnacknowledged = lowest;
            for (int r = 0; r < results; r++) {
                long sequence = ConfigCommandCodec.readLong(in, "session sequence");
                s.results.put(sequence, ConfigResultCodec.decode(ConfigCommandCodec.readBytes(in, "session result")));
            }
            table.sessions.put(id, s);
        }
        return table;
    }

    /** For tests and logs: the remembered results of one session, by sequence. */
    Map<Long, ConfigResult> resultsOf(long sessionId) {
        Session s = sessions.get(sessionId);
        return s == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(s.results));
    }
}
