package io.raftboot.core.loop;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The loop's {@link RaftListener}s, each called in turn; one that throws is logged and skipped,
 * so a faulty listener can neither stop the loop nor keep the others from hearing the news.
 */
final class Listeners {

    private static final System.Logger LOG = System.getLogger(RaftLoop.class.getName());

    private final String nodeId;
    private final List<RaftListener> listeners = new CopyOnWriteArrayList<>();

    Listeners(String nodeId) {
        this.nodeId = nodeId;
    }

    void add(RaftListener listener) {
        listeners.add(listener);
    }

    void remove(RaftListener listener) {
        listeners.remove(listener);
    }

    void stateChanged(RaftStatus previous, RaftStatus current) {
        each("onStateChange", l -> l.onStateChange(previous, current));
    }

    void applied(long index, byte[] command, Object result) {
        each("onApplied", l -> l.onApplied(index, command, result));
    }

    void appliedUpTo(long lastApplied) {
        each("onAppliedUpTo", l -> l.onAppliedUpTo(lastApplied));
    }

    void snapshotRestored(long index) {
        each("onSnapshotRestored", l -> l.onSnapshotRestored(index));
    }

    void halted(Throwable cause) {
        each("onHalted", l -> l.onHalted(cause));
    }

    private void each(String callback, Consumer<RaftListener> call) {
        for (RaftListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "node " + nodeId + ": listener " + listener + " failed in " + callback, e);
            }
        }
    }
}
