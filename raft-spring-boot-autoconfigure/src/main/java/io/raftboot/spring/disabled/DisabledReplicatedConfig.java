package io.raftboot.spring.disabled;

import io.raftboot.core.store.ConfigResult;
import io.raftboot.core.store.VersionedValue;
import io.raftboot.spring.config.ConfigWatch;
import io.raftboot.spring.config.ConfigWatcher;
import io.raftboot.spring.config.ConfigWriteException;
import io.raftboot.spring.config.ReadConsistency;
import io.raftboot.spring.config.ReplicatedConfig;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;

/**
 * The config of a node without Raft: empty, at version 0, at every consistency (there is no
 * cluster whose state it could lag behind, so a linearizable read and {@link #sync()} have nothing
 * to wait for). Every write fails with a {@link ConfigWriteException} whose outcome is known: it
 * was not applied and never will be. Watches never fire.
 */
public class DisabledReplicatedConfig implements ReplicatedConfig {

    @Override
    public Optional<VersionedValue> getEntry(String key, ReadConsistency consistency) {
        return Optional.empty();
    }

    @Override
    public Map<String, String> getAll(String prefix, ReadConsistency consistency) {
        return Map.of();
    }

    @Override
    public SortedMap<String, VersionedValue> getEntries(String prefix, ReadConsistency consistency) {
        return Collections.emptySortedMap();
    }

    @Override
    public long configVersion() {
        return 0;
    }

    @Override
    public CompletableFuture<Void> sync() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<ConfigResult> put(String key, String value) {
        return refused();
    }

    @Override
    public CompletableFuture<ConfigResult> put(String key, byte[] value) {
        return refused();
    }

    @Override
    public CompletableFuture<ConfigResult> delete(String key) {
        return refused();
    }

    @Override
    public CompletableFuture<ConfigResult> compareAndSet(String key, long expectedVersion, String newValue) {
        return refused();
    }

    @Override
    public CompletableFuture<ConfigResult> compareAndSet(String key, long expectedVersion, byte[] newValue) {
        return refused();
    }

    @Override
    public CompletableFuture<ConfigResult> compareAndSetModIndex(String key, long expectedModIndex, byte[] newValue) {
        return refused();
    }

    @Override
    public ConfigWatch watch(String key, ConfigWatcher watcher) {
        return () -> {};
    }

    @Override
    public ConfigWatch watchPrefix(String prefix, ConfigWatcher watcher) {
        return () -> {};
    }

    private static CompletableFuture<ConfigResult> refused() {
        return CompletableFuture.failedFuture(new ConfigWriteException(RaftDisabled.REASON, false, null));
    }
}
