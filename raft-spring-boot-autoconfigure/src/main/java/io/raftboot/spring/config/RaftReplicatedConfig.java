package io.raftboot.spring.config;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.raftboot.core.config.ConfigCommand;
import io.raftboot.core.config.ConfigResult;
import io.raftboot.core.config.ConfigResultCodec;
import io.raftboot.core.config.ConfigStore;
import io.raftboot.core.config.VersionedValue;
import io.raftboot.core.loop.LeadershipLostException;
import io.raftboot.core.loop.RaftLoop;
import io.raftboot.core.loop.RaftStatus;
import io.raftboot.core.node.NotLeaderException;
import io.raftboot.core.node.Role;
import io.raftboot.proto.ForwardKind;
import io.raftboot.proto.ForwardRequest;
import io.raftboot.proto.ForwardReturn;
import io.raftboot.spring.cluster.ClusterSettings;
import io.raftboot.spring.grpc.CommandForwarder;
import io.raftboot.spring.grpc.ForwardErrors;
import io.raftboot.spring.leadership.NoLeaderException;
import io.raftboot.spring.support.ConditionWaiter;
import io.raftboot.spring.support.RaftExecutors;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ReplicatedConfig} over the node's {@link RaftLoop} and {@link ConfigStore}.
 *
 * <p>A write is proposed here if this node leads, forwarded to the leader otherwise, and retried
 * while no leader is known or the contacted node turns out not to lead, until
 * {@code raft.write-timeout}. It is retried only when it surely did not enter the log (NOT_LEADER,
 * or overwritten), or when it is a put or delete, whose repetition leaves the same value; a
 * compare-and-set whose fate is unknown fails with {@link ConfigWriteException#isOutcomeUnknown()}.
 * A forwarded write completes after this node has applied it too (read-your-writes on this node).
 */
public class RaftReplicatedConfig implements ReplicatedConfig {

    private static final Logger LOG = LoggerFactory.getLogger(RaftReplicatedConfig.class);

    private final RaftLoop loop;
    private final ConfigStore store;
    private final ClusterSettings settings;
    private final Supplier<CommandForwarder> forwarder;
    private final RaftExecutors executors;
    private final ConditionWaiter waiter;
    private final ConfigChangePublisher changes;
    private final WriteObserver observer;
    private final long retryNanos;

    public RaftReplicatedConfig(RaftLoop loop, ConfigStore store, ClusterSettings settings,
                                Supplier<CommandForwarder> forwarder, RaftExecutors executors,
                                ConfigChangePublisher changes, WriteObserver observer) {
        this.loop = loop;
        this.store = store;
        this.settings = settings;
        this.forwarder = forwarder;
        this.executors = executors;
        this.waiter = new ConditionWaiter(executors, settings.tick());
        this.changes = changes;
        this.observer = observer;
        // Retry about once per heartbeat: a new leader is announced by its first heartbeat.
        this.retryNanos = settings.tick().toNanos() * settings.heartbeatTicks();
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
        syncAttempt(System.nanoTime() + settings.writeTimeout().toNanos(), result);
        return result;
    }

    private void syncAttempt(long deadline, CompletableFuture<Void> result) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            result.completeExceptionally(noLeader("linearizable read"));
            return;
        }
        RaftStatus s = loop.status();
        if (s.role() == Role.LEADER) {
            // Completes once the leader applied up to the confirmed read index.
            loop.readIndex().orTimeout(remaining, TimeUnit.NANOSECONDS).whenCompleteAsync((index, error) -> {
                if (error == null) {
                    result.complete(null);
                } else if (unwrap(error) instanceof NotLeaderException) {
                    retry(() -> syncAttempt(deadline, result), deadline, result);
                } else {
                    result.completeExceptionally(readFailure(unwrap(error)));
                }
            }, executors.timer());
        } else if (s.leaderId() != null && forwarder.get() != null) {
            ForwardRequest request = ForwardRequest.newBuilder().setClusterId(settings.clusterId()).setFrom(settings.nodeId())
                    .setKind(ForwardKind.READ_INDEX).setTimeoutMillis(Math.max(1, remaining / 1_000_000)).build();
            forwarder.get().forward(s.leaderId(), request, Duration.ofNanos(remaining)).whenCompleteAsync((reply, error) -> {
                if (error == null && reply.getOk()) {
                    long index = reply.getIndex();
                    waiter.await(() -> loop.status().lastApplied() >= index, deadline,
                                    () -> new NoLeaderException("this node did not catch up with the leader's commit index "
                                            + index + " within raft.write-timeout"))
                            .whenComplete((v, e) -> complete(result, null, e));
                } else if (error == null && !ForwardErrors.NOT_LEADER.equals(reply.getErrorCode())) {
                    result.completeExceptionally(new IllegalStateException("linearizable read failed on the leader: "
                            + reply.getErrorCode() + ": " + reply.getErrorMessage()));
                } else {
                    retry(() -> syncAttempt(deadline, result), deadline, result);
                }
            }, executors.timer());
        } else {
            retry(() -> syncAttempt(deadline, result), deadline, result);
        }
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
        return submit(() -> new ConfigCommand.CompareAndSet(key, expectedVersion,
                newValue == null ? null : newValue.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public CompletableFuture<ConfigResult> compareAndSet(String key, long expectedVersion, byte[] newValue) {
        return submit(() -> new ConfigCommand.CompareAndSet(key, expectedVersion, newValue));
    }

    private CompletableFuture<ConfigResult> submit(Supplier<ConfigCommand> commandFactory) {
        ConfigCommand command;
        byte[] bytes;
        try {
            command = commandFactory.get();
            bytes = store.encode(command);
        } catch (NullPointerException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("config key and value must not be null", e));
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().contains("more than the limit")) {
                return CompletableFuture.failedFuture(new ConfigValueTooLargeException(e.getMessage()
                        + " (raft.max-value-size; the same limit must be set on every node)"));
            }
            return CompletableFuture.failedFuture(e);
        }
        long start = System.nanoTime();
        CompletableFuture<ConfigResult> result = new CompletableFuture<>();
        writeAttempt(command, bytes, start, start + settings.writeTimeout().toNanos(), result);
        return result;
    }

    private void writeAttempt(ConfigCommand command, byte[] bytes, long start, long deadline,
                              CompletableFuture<ConfigResult> result) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            result.completeExceptionally(noLeader("write of key '" + command.key() + "'"));
            return;
        }
        RaftStatus s = loop.status();
        boolean repeatable = !(command instanceof ConfigCommand.CompareAndSet);
        Runnable again = () -> writeAttempt(command, bytes, start, deadline, result);
        if (s.role() == Role.LEADER) {
            loop.propose(bytes).orTimeout(remaining, TimeUnit.NANOSECONDS).whenCompleteAsync((r, error) -> {
                if (error == null) {
                    committed(start, (ConfigResult) r, result);
                    return;
                }
                Throwable e = unwrap(error);
                if (e instanceof NotLeaderException || (e instanceof LeadershipLostException lost && (!lost.outcomeUnknown() || repeatable))) {
                    retry(again, deadline, result);
                } else {
                    result.completeExceptionally(writeFailure(command, e));
                }
            }, executors.timer());
        } else if (s.leaderId() != null && !s.leaderId().equals(settings.nodeId())) {
            CommandForwarder f = forwarder.get();
            if (f == null) {
                result.completeExceptionally(new ConfigWriteException("this node is not the leader and has no CommandForwarder bean to reach '"
                        + s.leaderId() + "'", false, null));
                return;
            }
            ForwardRequest request = ForwardRequest.newBuilder().setClusterId(settings.clusterId()).setFrom(settings.nodeId())
                    .setKind(ForwardKind.WRITE).setCommand(ByteString.copyFrom(bytes))
                    .setTimeoutMillis(Math.max(1, remaining / 1_000_000)).build();
            f.forward(s.leaderId(), request, Duration.ofNanos(remaining)).whenCompleteAsync(
                    (reply, error) -> onForwarded(command, reply, error, repeatable, start, deadline, again, result),
                    executors.timer());
        } else {
            retry(again, deadline, result);
        }
    }

    private void onForwarded(ConfigCommand command, ForwardReturn reply, Throwable error, boolean repeatable, long start,
                             long deadline, Runnable again, CompletableFuture<ConfigResult> result) {
        if (error != null) {
            Status.Code code = Status.fromThrowable(error).getCode();
            if (code == Status.Code.UNAVAILABLE && repeatable) {
                retry(again, deadline, result);
            } else {
                boolean unknown = code == Status.Code.DEADLINE_EXCEEDED || code == Status.Code.UNAVAILABLE;
                result.completeExceptionally(new ConfigWriteException("forwarding the write of key '" + command.key()
                        + "' to the leader failed: " + Status.fromThrowable(error)
                        + (unknown ? "; it may still be committed" : ""), unknown, error));
            }
            return;
        }
        if (reply.getOk()) {
            ConfigResult r = ConfigResultCodec.decode(reply.getResult().toByteArray());
            // Read-your-writes: complete once this node applied the write too (bounded).
            waiter.await(() -> store.configVersion() >= r.configVersion(), deadline, null)
                    .whenComplete((v, e) -> committed(start, r, result));
            return;
        }
        String code = reply.getErrorCode();
        if (ForwardErrors.NOT_LEADER.equals(code) || ForwardErrors.NOT_APPLIED.equals(code) || ForwardErrors.OVERLOADED.equals(code)
                || (repeatable && (ForwardErrors.LEADERSHIP_LOST.equals(code) || ForwardErrors.STOPPED.equals(code)))) {
            retry(again, deadline, result);
        } else if (ForwardErrors.REJECTED.equals(code)) {
            result.completeExceptionally(new ConfigValueTooLargeException("the leader refused the write of key '"
                    + command.key() + "': " + reply.getErrorMessage()));
        } else {
            boolean unknown = !ForwardErrors.FAILED.equals(code);
            result.completeExceptionally(new ConfigWriteException("the leader could not complete the write of key '"
                    + command.key() + "': " + code + ": " + reply.getErrorMessage(), unknown, null));
        }
    }

    private void committed(long start, ConfigResult r, CompletableFuture<ConfigResult> result) {
        if (r.outcome() == ConfigResult.Outcome.STORE_FULL) {
            // Committed but refused by every replica alike (the key limit travels in the command).
            result.completeExceptionally(new ConfigStoreFullException(r.key(), store.maxKeys()));
            return;
        }
        if (r.applied()) {
            try {
                observer.committed(Duration.ofNanos(System.nanoTime() - start));
            } catch (RuntimeException e) {
                LOG.debug("WriteObserver failed: {}", e.toString());
            }
        }
        result.complete(r);
    }

    private <T> void retry(Runnable attempt, long deadline, CompletableFuture<T> result) {
        long delay = Math.min(retryNanos, Math.max(0, deadline - System.nanoTime()));
        try {
            executors.timer().schedule(attempt, delay, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            result.completeExceptionally(new ConfigWriteException("this node is shutting down", false, e));
        }
    }

    private NoLeaderException noLeader(String what) {
        RaftStatus s = loop.status();
        return new NoLeaderException("no leader accepted the " + what + " within raft.write-timeout ("
                + settings.writeTimeout().toMillis() + " ms); nothing was written. This node is " + s.role() + " in term "
                + s.term() + (s.leaderId() == null ? " and knows no leader" : " and last knew leader '" + s.leaderId() + "'")
                + ". Check that a majority of raft.peers " + settings.voters() + " is running and reachable.");
    }

    private static RuntimeException writeFailure(ConfigCommand command, Throwable e) {
        if (e instanceof TimeoutException) {
            return new ConfigWriteException("the write of key '" + command.key()
                    + "' was not committed within raft.write-timeout; it may still be committed", true, e);
        }
        boolean unknown = e instanceof LeadershipLostException lost && lost.outcomeUnknown();
        return new ConfigWriteException("the write of key '" + command.key() + "' failed: " + e.getMessage(), unknown, e);
    }

    private static RuntimeException readFailure(Throwable e) {
        return e instanceof RuntimeException re ? re : new IllegalStateException(e);
    }

    private static void complete(CompletableFuture<Void> result, Void value, Throwable error) {
        if (error == null) {
            result.complete(value);
        } else {
            result.completeExceptionally(unwrap(error));
        }
    }

    private static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static byte[] utf8(String s, String what) {
        if (s == null) {
            throw new NullPointerException(what);
        }
        return s.getBytes(StandardCharsets.UTF_8);
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
