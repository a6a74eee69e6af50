package io.raftboot.spring.config;

import io.raftboot.core.store.ConfigResult;
import io.raftboot.core.store.VersionedValue;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;

/**
 * The cluster's replicated, versioned configuration: a small key-value store every node holds a
 * copy of, written through the Raft leader.
 *
 * <p>Writes may be called on any node: a follower forwards them to the leader. The returned
 * future completes after the write is committed (on a majority) and applied on the leader, with
 * the store's {@link ConfigResult} (the key's new version and the new configVersion). For a
 * forwarded write it first waits until this node applied it too, but only until the write's
 * {@code raft.write-timeout} runs out: a {@link ReadConsistency#LOCAL} read right after usually
 * sees the write, and is not guaranteed to (a node that lags further still completes the future).
 * To be sure, read with {@link ReadConsistency#LINEARIZABLE} or call {@link #sync()} first. A
 * compare-and-set that finds another version completes normally with
 * {@link ConfigResult.Outcome#VERSION_MISMATCH}. When no leader is known within
 * {@code raft.write-timeout} the future fails with
 * {@link io.raftboot.spring.leadership.NoLeaderException} (nothing was written); a value over
 * {@code raft.max-value-size} fails with {@link ConfigValueTooLargeException}; a write that would
 * create a key beyond {@code raft.max-config-keys} fails with {@link ConfigStoreFullException}
 * (nothing was written); other failures with {@link ConfigWriteException}, whose
 * {@link ConfigWriteException#isOutcomeUnknown()} says whether the write may still be applied.
 *
 * <p>Writes are exactly-once: each carries this node's client session and a sequence number
 * (Raft thesis §6.3), and is retried, through leader changes and with the same number, until
 * {@code raft.write-timeout}; the store applies it once however many attempts reached the log.
 * When the future fails with the outcome unknown, the write is applied once or never, and a
 * retry by the caller is a new write.
 *
 * <p>Reads are {@link ReadConsistency#LOCAL} unless asked otherwise. Values are bytes; the
 * String methods use UTF-8.
 */
public interface ReplicatedConfig {

    /** The value of {@code key} as text, from this node's copy. */
    default Optional<String> get(String key) {
        return get(key, ReadConsistency.LOCAL);
    }

    /** The value of {@code key} as text. Blocks for {@link ReadConsistency#LINEARIZABLE}. */
    default Optional<String> get(String key, ReadConsistency consistency) {
        return getEntry(key, consistency).map(VersionedValue::valueAsString);
    }

    /** The value of {@code key} as bytes. */
    default Optional<byte[]> getBytes(String key, ReadConsistency consistency) {
        return getEntry(key, consistency).map(VersionedValue::value);
    }

    /** The value of {@code key} with its version and the log index that wrote it. */
    Optional<VersionedValue> getEntry(String key, ReadConsistency consistency);

    /** All keys starting with {@code prefix} ("" for all) and their text values, sorted, from this node's copy. */
    default Map<String, String> getAll(String prefix) {
        return getAll(prefix, ReadConsistency.LOCAL);
    }

    /** All keys starting with {@code prefix} and their text values, sorted. */
    Map<String, String> getAll(String prefix, ReadConsistency consistency);

    /** All entries under {@code prefix} with versions, sorted by key. */
    SortedMap<String, VersionedValue> getEntries(String prefix, ReadConsistency consistency);

    /** This node's configVersion: the number of changes applied so far (the seed's version). */
    long configVersion();

    /**
     * Completes once this node has applied every write committed before the call (a
     * linearizable read barrier): local reads after it are linearizable.
     */
    CompletableFuture<Void> sync();

    CompletableFuture<ConfigResult> put(String key, String value);

    CompletableFuture<ConfigResult> put(String key, byte[] value);

    /** Deletes {@code key}; completes with {@link ConfigResult.Outcome#NOT_FOUND} if it was absent. */
    CompletableFuture<ConfigResult> delete(String key);

    /**
     * Sets {@code key} to {@code newValue} only if its version is {@code expectedVersion}
     * (0 = it must not exist); a {@code null} value deletes it.
     */
    CompletableFuture<ConfigResult> compareAndSet(String key, long expectedVersion, String newValue);

    CompletableFuture<ConfigResult> compareAndSet(String key, long expectedVersion, byte[] newValue);

    /**
     * Sets {@code key} to {@code newValue} only if its {@link VersionedValue#modIndex()} (the
     * log index of the write that last changed it, in {@link ConfigResult#modIndex()} too) is
     * {@code expectedModIndex} (0 = it must not exist); a {@code null} value deletes it. The
     * modIndex never repeats for a key, so unlike the version (which restarts at 1 when a key is
     * deleted and created again) a stale expectation can never match again: no ABA.
     */
    CompletableFuture<ConfigResult> compareAndSetModIndex(String key, long expectedModIndex, byte[] newValue);

    default CompletableFuture<ConfigResult> compareAndSetModIndex(String key, long expectedModIndex, String newValue) {
        return compareAndSetModIndex(
                key,
                expectedModIndex,
                newValue == null ? null : newValue.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Calls {@code watcher} for every change of {@code key} on this node. */
    ConfigWatch watch(String key, ConfigWatcher watcher);

    /** Calls {@code watcher} for every change of a key starting with {@code prefix} on this node. */
    ConfigWatch watchPrefix(String prefix, ConfigWatcher watcher);
}
