package io.raftboot.spring.config;

import io.raftboot.core.client.CommandForwarder;
import io.raftboot.core.client.ForwardOutcome;
import io.raftboot.core.client.ProposalOutcomes;
import io.raftboot.core.loop.RaftLoop;
import io.raftboot.core.loop.RaftStatus;
import io.raftboot.core.store.ConfigCommand;
import io.raftboot.core.store.ConfigResult;
import io.raftboot.core.store.ConfigStore;
import io.raftboot.core.store.VersionedValue;
import io.raftboot.spring.cluster.ClusterSettings;
import io.raftboot.spring.leadership.NoLeaderException;
import io.raftboot.spring.support.AppliedStateWaiter;
import io.raftboot.spring.support.RaftExecutors;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * {@link ReplicatedConfig} over the node's {@link RaftLoop} and {@link ConfigStore}.
 *
 * <p>Writes go through the {@link SessionWriter}: exactly-once, proposed here when this node
 * leads and forwarded to the leader otherwise, retried with the same session sequence number
 * until {@code raft.write-timeout}. A forwarded write waits for this node to apply it too, until
 * the write's deadline at most; past it the future completes anyway, so a local read right after
 * is not guaranteed to see it (no read-your-writes guarantee; {@link #sync()} gives one). Linearizable reads ask the leader for a read index
 * ({@link LeaderRoute}) and wait until this node applied up to it.
 */
public class RaftReplicatedConfig implements ReplicatedConfig, AutoCloseable {

    private final RaftLoop loop;
    private final ConfigStore store;
    private final ClusterSettings settings;
    private final LeaderRoute route;
    private final SessionWriter writer;
    private final RaftExecutors executors;
    private final AppliedStateWaiter waiter;
    private final ConfigChangePublisher changes;
    private final long retryNanos;

    public RaftReplicatedConfig(
            RaftLoop loop,
            ConfigStore store,
            ClusterSettings settings,
            LeaderCommandHandler leader,
            Supplier<CommandForwarder> forwarder,
            RaftExecutors executors,
            ConfigChangePublisher changes,
            WriteObserver observer) {
        this.loop = loop;
        this.store = store;
        this.settings = settings;
        this.route = new LeaderRoute(loop, settings.nodeId(), leader, forwarder);
        this.waiter = new AppliedStateWaiter(executors);
        loop.addListener(waiter);
        this.writer = new SessionWriter(loop, store, settings, route, executors, waiter, observer);
        this.executors = executors;
        this.changes = changes;
        this.retryNanos = settings.heartbeatInterval().toNanos();
    }

    // ------------------------------------------------------------------ reads

    @Override
    public Optional<VersionedValue> getEntry(String key, ReadConsistency consistency) {
        barrier(consistency);
        return store.get(key);
    }

    @Override
    public Map<String, String> getAll(String prefix, ReadConsistency consistency) {
        Map<String, String> result = new LinkedHashMap<>();
        getEntries(prefix, consistency).forEach((k, v) -> result.put(k, v.valueAsString()));
        return result;
    }

    @Override
    public SortedMap<String, VersionedValue> getEntries(String prefix, ReadConsistency consistency) {
        barrier(consistency);
        return store.getAll(prefix);
    }

    @Override
    public long configVersion() {
        return store.configVersion();
    }

    private void barrier(ReadConsistency consistency) {
        if (consistency != ReadConsistency.LINEARIZABLE) {
            return;
        }
        try {
            sync().get(settings.writeTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a linearizable read", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
        } catch (TimeoutException e) {
            throw new NoLeaderException("a linearizable read did not complete within raft.write-timeout ("
                    + settings.writeTimeout().toMillis() + " ms)");
        }
    }

    @Override
    public CompletableFuture<Void> sync() {
        CompletableFuture<Void> result = new CompletableFuture<>();
        syncAttempt(System.nanoTime() + settings.writeTimeout().toNanos(), result, "no attempt answered");
        return result;
    }

    private void syncAttempt(long deadline, CompletableFuture<Void> result, String lastProblem) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            RaftStatus s = loop.status();
            result.completeExceptionally(new NoLeaderException("no leader confirmed a linearizable read within"
                    + " raft.write-timeout (" + settings.writeTimeout().toMillis() + " ms). This node is " + s.role()
                    + " in term " + s.term() + "; last answer: " + lastProblem));
            return;
        }
        route.readIndex(Duration.ofNanos(remaining))
                .whenCompleteAsync(
                        (outcome, error) -> {
                            if (outcome instanceof ForwardOutcome.ReadIndex read) {
                                long index = read.index();
                                waiter.await(
                                                () -> loop.status().lastApplied() >= index,
                                                deadline,
                                                () -> new NoLeaderException(
                                                        "this node did not catch up with the leader's commit index "
                                                                + index + " within raft.write-timeout"))
                                        .whenComplete((v, e) -> {
                                            if (e == null) {
                                                result.complete(null);
                                            } else {
                                                result.completeExceptionally(ProposalOutcomes.unwrap(e));
                                            }
                                        });
                            } else if (outcome instanceof ForwardOutcome.Rejected rejected) {
                                result.completeExceptionally(
                                        new IllegalStateException("linearizable read refused: " + rejected.reason()));
                            } else {
                                try {
                                    executors
                                            .timer()
                                            .schedule(
                                                    () -> syncAttempt(deadline, result, String.valueOf(outcome)),
                                                    retryNanos,
                                                    TimeUnit.NANOSECONDS);
                                } catch (RuntimeException e) {
                                    result.completeExceptionally(new IllegalStateException(
                                            "node '" + settings.nodeId() + "' is shutting down", e));
                                }
                            }
                        },
                        executors.timer());
    }

    // ------------------------------------------------------------------ writes

    @Override
    public CompletableFuture<ConfigResult> put(String key, String value) {
        return submit(() -> new ConfigCommand.Put(key, utf8(value, "value")));
    }

    @Override
    public CompletableFuture<ConfigResult> put(String key, byte[] value) {
        return submit(() -> new ConfigCommand.Put(key, value));
    }

    @Override
    public CompletableFuture<ConfigResult> delete(String key) {
        return submit(() -> new ConfigCommand.Delete(key));
    }

    @Override
    public CompletableFuture<ConfigResult> compareAndSet(String key, long expectedVersion, String newValue) {
        return submit(() -> new ConfigCommand.CompareAndSet(
                key, expectedVersion, newValue == null ? null : newValue.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public CompletableFuture<ConfigResult> compareAndSet(String key, long expectedVersion, byte[] newValue) {
        return submit(() -> new ConfigCommand.CompareAndSet(key, expectedVersion, newValue));
    }

    @Override
    public CompletableFuture<ConfigResult> compareAndSetModIndex(String key, long expectedModIndex, byte[] newValue) {
        return submit(() -> ConfigCommand.CompareAndSet.onModIndex(key, expectedModIndex, newValue));
    }

    private CompletableFuture<ConfigResult> submit(Supplier<ConfigCommand> commandFactory) {
        ConfigCommand command;
        try {
            command = commandFactory.get();
        } catch (NullPointerException e) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException("config key and value must not be null", e));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return writer.write(command);
    }

    private static byte[] utf8(String s, String what) {
        if (s == null) {
            throw new NullPointerException(what);
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Fails the writes still waiting: the node is shutting down and its timer stops. */
    @Override
    public void close() {
        writer.close();
        loop.removeListener(waiter);
        waiter.close();
    }

    // ------------------------------------------------------------------ watches

    @Override
    public ConfigWatch watch(String key, ConfigWatcher watcher) {
        return changes.watch(key::equals, watcher);
    }

    @Override
    public ConfigWatch watchPrefix(String prefix, ConfigWatcher watcher) {
        return changes.watch(k -> k.startsWith(prefix), watcher);
    }
}
