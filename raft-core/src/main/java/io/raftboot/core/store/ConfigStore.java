package io.raftboot.core.store;

import io.raftboot.core.statemachine.StateMachine;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The built-in replicated state machine: a small versioned key-value store for configuration
 * (the seed's versioned config, made safe).
 *
 * <p>Each key holds a {@link VersionedValue}: bytes, the key's own version (1 on create, +1 per
 * write) and the log index that last wrote it. A global {@link #configVersion()} grows by
 * exactly one for every command that changes the store ({@link ConfigResult.Outcome#APPLIED}):
 * every put (even one that writes the value the key already has: it is a write the user asked
 * for, and its key version grows too), every delete of a present key, every successful
 * compare-and-set. Rejected commands change nothing. configVersion never goes back.
 *
 * <p>Threads: {@link #apply}, {@link #snapshot} and {@link #restore} are called by the one
 * thread that drives Raft. Reads ({@link #get}, {@link #getAll}, {@link #configVersion}) are safe
 * from any thread: every change publishes a new immutable map through a volatile field
 * (copy-on-write, O(keys) per write, meant for configuration-sized data: thousands of keys, not
 * millions). A read sees a state the store really had, at least as new as the last one that
 * thread saw.
 *
 * <p>Limits: a key longer than {@code maxKeyBytes} (UTF-8) or a value larger than
 * {@code maxValueBytes} is refused. Callers check with {@link #validate} before proposing;
 * {@link #apply} checks again and turns an oversized command into a
 * {@link ConfigResult.Outcome#TOO_LARGE} result. For that to be the same on every node, all nodes
 * of a cluster must use the same limits.
 *
 * <p>The number of keys is bounded differently, so that no setting of any node can make replicas
 * diverge: {@link #encode} stamps this store's {@code maxKeys} into each put and compare-and-set,
 * and {@link #apply} refuses ({@link ConfigResult.Outcome#STORE_FULL}) a command that would create
 * a key while the store already holds as many keys as <em>the command</em> allows. Every replica
 * applies the same commands to the same state, so every replica decides the same, whatever its
 * own limit. Updates of existing keys and deletes are never refused for the count, so a store
 * above a lowered limit (or restored from a snapshot) can still be changed and shrunk.
 */
public final class ConfigStore implements StateMachine {

    public static final int DEFAULT_MAX_KEY_BYTES = 512;
    public static final int DEFAULT_MAX_VALUE_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_KEYS = 10_000;
    /** Client sessions kept (one per process that writes, each start a new one); the idlest is expired beyond. */
    public static final int DEFAULT_MAX_SESSIONS = 1_000;
    /** Results one session remembers: the writes one client may have in flight at once. */
    public static final int DEFAULT_MAX_RESULTS_PER_SESSION = 1_000;

    private static final System.Logger LOG = System.getLogger(ConfigStore.class.getName());
    /** Format 1: the entries. */
    private static final byte SNAPSHOT_FORMAT_WITHOUT_SESSIONS = 1;
    /** Format 2: the entries, then the client sessions. */
    private static final byte SNAPSHOT_FORMAT_VERSION = 2;
    /** Smallest encoded entry: key length, 1 key byte, version, modIndex, value length. */
    private static final int MIN_SNAPSHOT_ENTRY_BYTES = 4 + 1 + 8 + 8 + 4;

    private record State(NavigableMap<String, VersionedValue> entries, long configVersion) {}

    private record Restored(State state, ClientSessions sessions) {}

    private final int maxKeyBytes;
    private final int maxValueBytes;
    private final int maxKeys;
    private final List<ConfigChangeListener> listeners = new CopyOnWriteArrayList<>();
    private volatile State state = new State(Collections.emptyNavigableMap(), 0);
    /** Driver thread only: replicated like the entries, never read by other threads. */
    private ClientSessions sessions = new ClientSessions();
    /** configVersion at the last STORE_FULL warning (driver thread only). */
    private long lastStoreFullWarning = -1;

    public ConfigStore() {
        this(DEFAULT_MAX_KEY_BYTES, DEFAULT_MAX_VALUE_BYTES);
    }

    public ConfigStore(int maxKeyBytes, int maxValueBytes) {
        this(maxKeyBytes, maxValueBytes, DEFAULT_MAX_KEYS);
    }

    /**
     * @param maxKeys the key limit {@link #encode} stamps into the commands this node proposes;
     *     {@link ConfigCommand#UNLIMITED} (0) for none
     */
    public ConfigStore(int maxKeyBytes, int maxValueBytes, int maxKeys) {
        if (maxKeyBytes < 1 || maxValueBytes < 0 || maxKeys < 0) {
            throw new IllegalArgumentException(
                    "maxKeyBytes must be >= 1, maxValueBytes >= 0 and maxKeys >= 0 (0 = no limit), got " + maxKeyBytes
                            + ", " + maxValueBytes + " and " + maxKeys);
        }
        this.maxKeyBytes = maxKeyBytes;
        this.maxValueBytes = maxValueBytes;
        this.maxKeys = maxKeys;
    }

    public int maxKeyBytes() {
        return maxKeyBytes;
    }

    public int maxValueBytes() {
        return maxValueBytes;
    }

    /** The key limit stamped into proposed commands; {@link ConfigCommand#UNLIMITED} (0) for none. */
    public int maxKeys() {
        return maxKeys;
    }

    // ------------------------------------------------------------------ proposing

    /**
     * Checks a command against this store's limits, before it is proposed.
     *
     * @throws ConfigLimitExceededException naming the key and the limit it exceeds
     */
    public void validate(ConfigCommand command) {
        String tooLarge = tooLarge(command);
        if (tooLarge != null) {
            throw new ConfigLimitExceededException(tooLarge);
        }
    }

    /**
     * {@link #validate}s the command, stamps this store's {@link #maxKeys()} into a put or a
     * compare-and-set that writes a value (replacing any limit it had), and encodes it for
     * {@code RaftLoop.propose}.
     */
    public byte[] encode(ConfigCommand command) {
        validate(command);
        return ConfigCommandCodec.encode(withKeyLimit(command));
    }

    /**
     * {@link #validate}s the write's command, stamps this store's key limit into it, and encodes
     * the session write for {@code RaftLoop.propose}.
     */
    public byte[] encode(SessionCommand.Write write) {
        validate(write.command());
        return SessionCodec.encode(write.withCommand(withKeyLimit(write.command())));
    }

    /** Encodes the opening of a client session with the default limits. */
    public byte[] encodeOpenSession() {
        return SessionCodec.encode(new SessionCommand.Open(DEFAULT_MAX_SESSIONS, DEFAULT_MAX_RESULTS_PER_SESSION));
    }

    /**
     * Re-encodes a command another node encoded, for the leader to propose: validated against
     * this store's limits, with this store's key limit stamped in (bare and session writes alike).
     *
     * @throws IllegalArgumentException if it is malformed or exceeds the limits
     */
    public byte[] reencode(byte[] command) {
        if (!SessionCodec.isSessionCommand(command)) {
            return encode(ConfigCommandCodec.decode(command));
        }
        // An opening gets this (the leader's) limits, like every command it proposes.
        SessionCommand decoded = SessionCodec.decode(command);
        return decoded instanceof SessionCommand.Write write ? encode(write) : encodeOpenSession();
    }

    private ConfigCommand withKeyLimit(ConfigCommand command) {
        if (command instanceof ConfigCommand.Put put) {
            return put.withMaxKeys(maxKeys);
        }
        if (command instanceof ConfigCommand.CompareAndSet cas && !cas.isDelete()) {
            return cas.withMaxKeys(maxKeys);
        }
        return command;
    }

    private String tooLarge(ConfigCommand command) {
        int keyBytes = ConfigCommandCodec.utf8(command.key()).length;
        if (keyBytes > maxKeyBytes) {
            return "config key '" + abbreviate(command.key()) + "' is " + keyBytes
                    + " bytes of UTF-8, more than the limit of " + maxKeyBytes + " bytes";
        }
        int valueBytes = 0;
        if (command instanceof ConfigCommand.Put put) {
            valueBytes = put.value().length;
        } else if (command instanceof ConfigCommand.CompareAndSet cas && !cas.isDelete()) {
            valueBytes = cas.newValue().length;
        }
        if (valueBytes > maxValueBytes) {
            return "value of config key '" + abbreviate(command.key()) + "' is " + valueBytes
                    + " bytes, more than the limit of " + maxValueBytes + " bytes";
        }
        return null;
    }

    private static String abbreviate(String key) {
        return key.length() <= 64 ? key : key.substring(0, 61) + "...";
    }

    // ------------------------------------------------------------------ reads (any thread)

    public Optional<VersionedValue> get(String key) {
        Objects.requireNonNull(key, "key");
        return Optional.ofNullable(state.entries().get(key));
    }

    /** All entries whose key starts with {@code prefix} ("" for all), sorted by key; an immutable copy. */
    public SortedMap<String, VersionedValue> getAll(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        NavigableMap<String, VersionedValue> entries = state.entries();
        TreeMap<String, VersionedValue> result = new TreeMap<>();
        for (Map.Entry<String, VersionedValue> e : entries.tailMap(prefix, true).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            result.put(e.getKey(), e.getValue());
        }
        return Collections.unmodifiableSortedMap(result);
    }

    /** Number of changes applied since the store was created (carried by snapshots). */
    public long configVersion() {
        return state.configVersion();
    }

    public int size() {
        return state.entries().size();
    }

    /** The results session {@code sessionId} remembers, by sequence (driver thread; for tests and diagnostics). */
    public Map<Long, ConfigResult> sessionResults(long sessionId) {
        return sessions.resultsOf(sessionId);
    }

    // ------------------------------------------------------------------ listeners

    public void addListener(ConfigChangeListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(ConfigChangeListener listener) {
        listeners.remove(listener);
    }

    // ------------------------------------------------------------------ StateMachine (driver thread)

    /**
     * Applies one encoded {@link ConfigCommand} or {@link SessionCommand}; never throws for a bad
     * command, it is rejected.
     */
    @Override
    public ConfigResult apply(long index, byte[] command) {
        if (SessionCodec.isSessionCommand(command)) {
            SessionCommand decoded;
            try {
                decoded = SessionCodec.decode(command);
            } catch (IllegalArgumentException e) {
                LOG.log(
                        Level.WARNING,
                        "session command at log index {0} is malformed and was skipped: {1}",
                        index,
                        e.getMessage());
                return new ConfigResult(ConfigResult.Outcome.MALFORMED, null, 0, 0, state.configVersion(), 0);
            }
            return apply(index, decoded);
        }
        ConfigCommand decoded;
        try {
            decoded = ConfigCommandCodec.decode(command);
        } catch (IllegalArgumentException e) {
            // Deterministic on every node: the same bytes are rejected everywhere.
            LOG.log(
                    Level.WARNING,
                    "config command at log index {0} is malformed and was skipped: {1}",
                    index,
                    e.getMessage());
            return new ConfigResult(ConfigResult.Outcome.MALFORMED, null, 0, 0, state.configVersion(), 0);
        }
        return apply(index, decoded);
    }

    /**
     * Applies a session command: opens a session (outcome {@link ConfigResult.Outcome#SESSION_OPENED},
     * its id in {@link ConfigResult#modIndex()}), or applies a session's write once (Raft thesis
     * §6.3): a write the session already made is answered with its first result, and changes
     * nothing however many times the log holds it.
     */
    public ConfigResult apply(long index, SessionCommand command) {
        if (command instanceof SessionCommand.Open open) {
            sessions.open(index, open);
            LOG.log(Level.DEBUG, "client session {0} opened ({1} sessions)", index, sessions.size());
            return new ConfigResult(ConfigResult.Outcome.SESSION_OPENED, null, 0, 0, state.configVersion(), index);
        }
        SessionCommand.Write write = (SessionCommand.Write) command;
        ClientSessions.Admission admission = sessions.admit(
                index, write, outcome -> refusal(outcome, write.command().key()));
        if (admission instanceof ClientSessions.Answered answered) {
            return answered.result();
        }
        ConfigResult result = apply(index, write.command());
        sessions.record(write, result);
        return result;
    }

    private ConfigResult refusal(ConfigResult.Outcome outcome, String key) {
        State current = state;
        VersionedValue value = current.entries().get(key);
        return rejected(outcome, key, value, current);
    }

    /** Applies one command; what {@link #apply(long, byte[])} does after decoding. */
    public ConfigResult apply(long index, ConfigCommand command) {
        State current = state;
        String key = command.key();
        VersionedValue old = current.entries().get(key);
        long oldVersion = old == null ? 0 : old.version();
        long oldModIndex = old == null ? 0 : old.modIndex();
        String tooLarge = tooLarge(command);
        if (tooLarge != null) {
            LOG.log(Level.WARNING, "config command at log index {0} was refused: {1}", index, tooLarge);
            return rejected(ConfigResult.Outcome.TOO_LARGE, key, old, current);
        }
        byte[] newValue;
        int keyLimit = ConfigCommand.UNLIMITED;
        if (command instanceof ConfigCommand.Put put) {
            newValue = put.value();
            keyLimit = put.maxKeys();
        } else if (command instanceof ConfigCommand.CompareAndSet cas) {
            long actual = cas.compared() == ConfigCommand.CompareAndSet.Compared.VERSION ? oldVersion : oldModIndex;
            if (cas.expected() != actual) {
                return rejected(ConfigResult.Outcome.VERSION_MISMATCH, key, old, current);
            }
            newValue = cas.newValue();
            keyLimit = cas.maxKeys();
        } else {
            if (old == null) {
                return rejected(ConfigResult.Outcome.NOT_FOUND, key, null, current);
            }
            newValue = null; // Delete
        }
        // The limit comes from the command, never from this node's settings: the same on every replica.
        if (old == null
                && newValue != null
                && keyLimit != ConfigCommand.UNLIMITED
                && current.entries().size() >= keyLimit) {
            // Once per state of the store at WARNING: a flood of refused puts must not flood the log.
            Level level = current.configVersion() == lastStoreFullWarning ? Level.DEBUG : Level.WARNING;
            lastStoreFullWarning = current.configVersion();
            LOG.log(
                    level,
                    "config command at log index {0} was refused: config store full: {1} keys (the limit the proposing"
                            + " node stamped, raft.max-config-keys); key ''{2}'' was not created",
                    index,
                    String.valueOf(keyLimit),
                    abbreviate(key));
            return rejected(ConfigResult.Outcome.STORE_FULL, key, null, current);
        }
        TreeMap<String, VersionedValue> entries = new TreeMap<>(current.entries());
        VersionedValue updated = null;
        if (newValue == null) {
            entries.remove(key);
        } else {
            updated = new VersionedValue(newValue, oldVersion + 1, index);
            entries.put(key, updated);
        }
        long configVersion = current.configVersion() + 1;
        state = new State(Collections.unmodifiableNavigableMap(entries), configVersion);
        notifyListeners(key, old, updated, configVersion);
        return new ConfigResult(
                ConfigResult.Outcome.APPLIED,
                key,
                oldVersion,
                updated == null ? 0 : updated.version(),
                configVersion,
                updated == null ? 0 : index);
    }

    /** A result that changed nothing: the key's version and modIndex as they are ({@code current} absent: 0). */
    private static ConfigResult rejected(
            ConfigResult.Outcome outcome, String key, VersionedValue current, State state) {
        long version = current == null ? 0 : current.version();
        return new ConfigResult(
                outcome, key, version, version, state.configVersion(), current == null ? 0 : current.modIndex());
    }

    /**
     * The whole store, deterministic (keys sorted): format version byte, configVersion, entry
     * count, then per entry key, version, modIndex, value; then the client sessions (format 2).
     */
    @Override
    public byte[] snapshot() {
        State current = state;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(SNAPSHOT_FORMAT_VERSION);
            out.writeLong(current.configVersion());
            out.writeInt(current.entries().size());
            for (Map.Entry<String, VersionedValue> e : current.entries().entrySet()) {
                VersionedValue v = e.getValue();
                ConfigCommandCodec.writeBytes(out, ConfigCommandCodec.utf8(e.getKey()));
                out.writeLong(v.version());
                out.writeLong(v.modIndex());
                ConfigCommandCodec.writeBytes(out, v.rawValue());
            }
            sessions.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen with an in-memory stream
        }
        return bytes.toByteArray();
    }

    /**
     * Replaces the store with a snapshot's, then tells the listeners about every key that differs.
     *
     * @throws IllegalArgumentException if {@code snapshot} is malformed (the store is left unchanged)
     */
    @Override
    public void restore(byte[] snapshot) {
        Restored parsed = parseSnapshot(snapshot);
        State restored = parsed.state();
        State previous = state;
        state = restored;
        sessions = parsed.sessions();
        LOG.log(
                Level.DEBUG,
                "config store restored from a snapshot: {0} keys, configVersion {1}",
                restored.entries().size(),
                restored.configVersion());
        Set<String> keys = new TreeSet<>(previous.entries().keySet());
        keys.addAll(restored.entries().keySet());
        for (String key : keys) {
            VersionedValue before = previous.entries().get(key);
            VersionedValue after = restored.entries().get(key);
            if (!Objects.equals(before, after)) {
                notifyListeners(key, before, after, restored.configVersion());
            }
        }
    }

    private static Restored parseSnapshot(byte[] snapshot) {
        if (snapshot == null) {
            throw new IllegalArgumentException("config store snapshot is null");
        }
        ByteBuffer in = ByteBuffer.wrap(snapshot);
        byte format = ConfigCommandCodec.readByte(in, "snapshot format version");
        if (format != SNAPSHOT_FORMAT_VERSION && format != SNAPSHOT_FORMAT_WITHOUT_SESSIONS) {
            throw new IllegalArgumentException(
                    "unsupported config store snapshot format version " + format + " (this node understands "
                            + SNAPSHOT_FORMAT_WITHOUT_SESSIONS + " and " + SNAPSHOT_FORMAT_VERSION + ")");
        }
        long configVersion = ConfigCommandCodec.readLong(in, "configVersion");
        int count = ConfigCommandCodec.readInt(in, "entry count");
        if (configVersion < 0 || count < 0 || count > in.remaining() / MIN_SNAPSHOT_ENTRY_BYTES) {
            throw new IllegalArgumentException("malformed config store snapshot: configVersion " + configVersion + ", "
                    + count + " entries in " + in.remaining() + " bytes");
        }
        TreeMap<String, VersionedValue> entries = new TreeMap<>();
        String last = null;
        for (int i = 0; i < count; i++) {
            String key = ConfigCommandCodec.readKey(in);
            long version = ConfigCommandCodec.readLong(in, "version");
            long modIndex = ConfigCommandCodec.readLong(in, "modIndex");
            byte[] value = ConfigCommandCodec.readBytes(in, "value");
            if (last != null && key.compareTo(last) <= 0) {
                throw new IllegalArgumentException(
                        "malformed config store snapshot: keys not strictly sorted at '" + key + "'");
            }
            if (version < 1 || modIndex < 0) {
                throw new IllegalArgumentException("malformed config store snapshot: key '" + key + "' has version "
                        + version + " and modIndex " + modIndex);
            }
            entries.put(key, new VersionedValue(value, version, modIndex));
            last = key;
        }
        ClientSessions restoredSessions =
                format == SNAPSHOT_FORMAT_VERSION ? ClientSessions.readFrom(in) : new ClientSessions();
        if (in.hasRemaining()) {
            throw new IllegalArgumentException(
                    "malformed config store snapshot: " + in.remaining() + " trailing bytes");
        }
        return new Restored(new State(Collections.unmodifiableNavigableMap(entries), configVersion), restoredSessions);
    }

    private void notifyListeners(String key, VersionedValue oldValue, VersionedValue newValue, long configVersion) {
        for (ConfigChangeListener listener : listeners) {
            try {
                listener.onChange(key, oldValue, newValue, configVersion);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "config change listener " + listener + " failed on key '" + key + "'", e);
            }
        }
    }

    @Override
    public String toString() {
        State current = state;
        return "ConfigStore[" + current.entries().size() + " keys, configVersion " + current.configVersion() + "]";
    }
}
