package io.raftboot.spring.config;

import io.raftboot.core.store.ConfigChangeListener;
import io.raftboot.core.store.ConfigStore;
import io.raftboot.core.store.VersionedValue;
import io.raftboot.spring.support.RaftExecutors;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes each change of the local config store as a {@link ConfigChangedEvent} and calls the
 * matching {@link ConfigWatcher}s, on the Raft event thread (never on the loop thread, which
 * applies the change), in the order the changes were applied.
 */
public final class ConfigChangePublisher implements ConfigChangeListener {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigChangePublisher.class);

    private record Watch(Predicate<String> keys, ConfigWatcher watcher) {}

    private final String nodeId;
    private final ApplicationEventPublisher publisher;
    private final RaftExecutors executors;
    private final List<Watch> watches = new CopyOnWriteArrayList<>();

    public ConfigChangePublisher(
            String nodeId, ConfigStore store, ApplicationEventPublisher publisher, RaftExecutors executors) {
        this.nodeId = nodeId;
        this.publisher = publisher;
        this.executors = executors;
        store.addListener(this);
    }

    @Override
    public void onChange(String key, VersionedValue oldValue, VersionedValue newValue, long configVersion) {
        ConfigChange change = new ConfigChange(key, oldValue, newValue, configVersion);
        executors.dispatch(() -> {
            publisher.publishEvent(new ConfigChangedEvent(nodeId, change));
            for (Watch w : watches) {
                if (w.keys().test(key)) {
                    try {
                        w.watcher().onChange(change);
                    } catch (RuntimeException e) {
                        LOG.warn("ConfigWatcher {} failed on key '{}'", w.watcher(), key, e);
                    }
                }
            }
        });
    }

    ConfigWatch watch(Predicate<String> keys, ConfigWatcher watcher) {
        Watch w = new Watch(keys, Objects.requireNonNull(watcher, "watcher"));
        watches.add(w);
        return () -> watches.remove(w);
    }
}
