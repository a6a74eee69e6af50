package io.raftboot.spring.observation;

import io.micrometer.observation.ObservationRegistry;
import io.raftboot.core.store.ConfigResult;
import io.raftboot.core.store.VersionedValue;
import io.raftboot.spring.config.ConfigWatch;
import io.raftboot.spring.config.ConfigWatcher;
import io.raftboot.spring.config.ReadConsistency;
import io.raftboot.spring.config.ReplicatedConfig;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@link ReplicatedConfig} whose writes are {@value RaftObservations#CONFIG_WRITE} observations
 * (tagged with the operation and, once committed, whether it applied: a compare-and-set whose
 * version did not match commits without applying). Reads are local or one barrier, not observed.
 */
public class ObservedReplicatedConfig implements ReplicatedConfig {

    private final ReplicatedConfig delegate;
    private final ObservationRegistry registry;

    public ObservedReplicatedConfig(ReplicatedConfig delegate, ObservationRegistry registry) {
        this.delegate = delegate;
        this.registry = registry;
    }

    private CompletableFuture<ConfigResult> write(
            String operation, String key, Supplier<CompletableFuture<ConfigResult>> call) {
        var observation = RaftObservations.of(RaftObservations.CONFIG_WRITE, registry)
                .lowCardinalityKeyValue("operation", operation)
                .highCardinalityKeyValue("raft.config.key", String.valueOf(key));
        return RaftObservations.observe(
                observation,
                () -> call.get().whenComplete((result, error) -> {
                    if (result != null) {
                        observation.lowCardinalityKeyValue("applied", Boolean.toString(result.applied()));
                    }
                }));
    }

    @Override
    public CompletableFuture<ConfigResult> put(String key, String value) {
        return write("put", key, () -> delegate.put(key, value));
    }

    @Override
    public CompletableFuture<ConfigResult> put(String key, byte[] value) {
        return write("put", key, () -> delegate.put(key, value));
    }

    @Override
    public CompletableFuture<ConfigResult> delete(String key) {
        return write("delete", key, () -> delegate.delete(key));
    }

    @Override
    public CompletableFuture<ConfigResult> compareAndSet(String key, long expectedVersion, String newValue) {
        return write("compare-and-set", key, () -> delegate.compareAndSet(key, expectedVersion, newValue));
    }

    @Override
    public CompletableFuture<ConfigResult> compareAndSet(String key, long expectedVersion, byte[] newValue) {
        return write("compare-and-set", key, () -> delegate.compareAndSet(key, expectedVersion, newValue));
    }

    @Override
    public CompletableFuture<ConfigResult> compareAndSetModIndex(String key, long expectedModIndex, byte[] newValue) {
        return write("compare-and-set", key, () -> delegate.compareAndSetModIndex(key, expectedModIndex, newValue));
    }

    @Override
    public Optional<VersionedValue> getEntry(String key, ReadConsistency consistency) {
        return delegate.getEntry(key, consistency);
    }

    @Override
    public Map<String, String> getAll(String prefix, ReadConsistency consistency) {
        return delegate.getAll(prefix, consistency);
    }

    @Override
    public SortedMap<String, VersionedValue> getEntries(String prefix, ReadConsistency consistency) {
        return delegate.getEntries(prefix, consistency);
    }

    @Override
    public long configVersion() {
        return delegate.configVersion();
    }

    @Override
    public CompletableFuture<Void> sync() {
        return delegate.sync();
    }

    @Override
    public ConfigWatch watch(String key, ConfigWatcher watcher) {
        return delegate.watch(key, watcher);
    }

    @Override
    public ConfigWatch watchPrefix(String prefix, ConfigWatcher watcher) {
        return delegate.watchPrefix(prefix, watcher);
    }
}
