package io.raftboot.benchmarks.ratis;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;

/**
 * The small key-value state machine of the Ratis peer: a command is {@code key '\0' value} (a
 * put); the reply is the new configVersion (applied puts), like our config store's. No snapshot
 * (the log is replayed on restart), which costs nothing at the sizes measured here.
 */
public final class KvStateMachine extends BaseStateMachine {

    private final Map<String, String> data = new ConcurrentHashMap<>();
    private volatile long version;
    private final BiConsumer<String, Long> onApply;

    public KvStateMachine(BiConsumer<String, Long> onApply) {
        this.onApply = onApply;
    }

    public static Message put(String key, String value) {
        return Message.valueOf(key + '\0' + value);
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        String command = entry.getStateMachineLogEntry().getLogData().toString(StandardCharsets.UTF_8);
        int sep = command.indexOf('\0');
        String key = sep < 0 ? command : command.substring(0, sep);
        data.put(key, sep < 0 ? "" : command.substring(sep + 1));
        long v;
        synchronized (this) {
            v = ++version;
            updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        }
        if (onApply != null) {
            onApply.accept(key, System.nanoTime());
        }
        return CompletableFuture.completedFuture(Message.valueOf(Long.toString(v)));
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        String key = request.getContent().toString(StandardCharsets.UTF_8);
        String v = data.get(key);
        return CompletableFuture.completedFuture(Message.valueOf(v == null ? "" : v));
    }

    public String get(String key) {
        return data.get(key);
    }

    public long version() {
        return version;
    }
}
