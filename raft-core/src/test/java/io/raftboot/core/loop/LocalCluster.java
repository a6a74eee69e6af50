package io.raftboot.core.loop;

import static org.awaitility.Awaitility.await;

import io.raftboot.core.message.Message;
import io.raftboot.core.node.Membership;
import io.raftboot.core.node.ProtocolSettings;
import io.raftboot.core.node.Role;
import io.raftboot.core.store.ConfigStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * N {@link RaftLoop}s in one JVM on real threads, each with a {@link ConfigStore} and a
 * {@link FailableStorage}, connected by an in-memory transport that hands each message straight
 * to the recipient's queue.
 */
final class LocalCluster implements AutoCloseable {

    static final Duration TICK = Duration.ofMillis(10);
    static final Duration DEADLINE = Duration.ofSeconds(15);

    final ProtocolSettings config;
    final Map<String, RaftLoop> loops = new LinkedHashMap<>();
    final Map<String, ConfigStore> stores = new LinkedHashMap<>();
    final Map<String, FailableStorage> storages = new LinkedHashMap<>();
    /** Nodes cut off from everyone: messages from or to them are lost. */
    final Set<String> isolated = ConcurrentHashMap.newKeySet();
    /** Runs on the sender's loop thread after each message is sent (delivered or lost): a test can stall the sender there. */
    volatile Consumer<Message> afterSend = m -> {};

    LocalCluster(long snapshotThreshold, String... ids) {
        config = ProtocolSettings.of(Membership.ofVoters(ids)).withTicks(10, 2);
        long seed = 42;
        for (String id : ids) {
            ConfigStore store = new ConfigStore();
            FailableStorage storage = new FailableStorage();
            stores.put(id, store);
            storages.put(id, storage);
            loops.put(
                    id,
                    new RaftLoop(
                            id, config, TICK, storage, store, this::deliver, new Random(seed++), snapshotThreshold));
        }
    }

    LocalCluster(String... ids) {
        this(RaftLoop.DEFAULT_SNAPSHOT_THRESHOLD, ids);
    }

    private void deliver(Message m) {
        if (!isolated.contains(m.from()) && !isolated.contains(m.to())) {
            RaftLoop to = loops.get(m.to());
            if (to != null) {
                to.receive(m);
            }
        }
        afterSend.accept(m);
    }

    LocalCluster start() {
        loops.values().forEach(RaftLoop::start);
        return this;
    }

    RaftLoop loop(String id) {
        return loops.get(id);
    }

    /** Waits until the running nodes that are not isolated agree on one leader (the leader of the highest term). */
    RaftLoop awaitLeader() {
        AtomicReference<RaftLoop> leader = new AtomicReference<>();
        await().atMost(DEADLINE).until(() -> {
            RaftLoop candidate = null;
            for (RaftLoop loop : running()) {
                RaftStatus s = loop.status();
                if (s.role() == Role.LEADER
                        && (candidate == null || s.term() > candidate.status().term())) {
                    candidate = loop;
                }
            }
            if (candidate == null) {
                return false;
            }
            for (RaftLoop loop : running()) {
                if (!candidate.nodeId().equals(loop.status().leaderId())) {
                    return false;
                }
            }
            leader.set(candidate);
            return true;
        });
        return leader.get();
    }

    List<RaftLoop> running() {
        List<RaftLoop> result = new ArrayList<>();
        for (RaftLoop loop : loops.values()) {
            if (loop.isRunning() && !isolated.contains(loop.nodeId())) {
                result.add(loop);
            }
        }
        return result;
    }

    List<RaftLoop> followersOf(RaftLoop leader) {
        List<RaftLoop> result = new ArrayList<>(running());
        result.remove(leader);
        return result;
    }

    @Override
    public void close() {
        loops.values().forEach(RaftLoop::close);
    }
}
