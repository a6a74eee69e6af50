package io.raftboot.spring.annotation;

import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts calls that {@link LeaderOnly} skipped. The metrics configuration adds a Micrometer
 * counter ({@code raft.leader.only.skipped}) through {@link #onSkip}.
 */
public class LeaderOnlySkips {

    private final AtomicLong skipped = new AtomicLong();
    private volatile java.util.function.Consumer<Method> listener = m -> {};

    void skipped(Method method) {
        skipped.incrementAndGet();
        listener.accept(method);
    }

    /** Total calls skipped on this node. */
    public long count() {
        return skipped.get();
    }

    public void onSkip(java.util.function.Consumer<Method> listener) {
        this.listener = listener;
    }
}
