package io.raftboot.core.sim;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;

/**
 * A running 64-bit digest of everything the nodes of one seed hand to their driver (every
 * {@code Ready}: messages, entries to persist, committed entries, states). Two runs of a seed
 * with equal digests made the same decisions in the same order, so a refactoring of the core is
 * proven to keep behaviour by equal summaries (docs/testing.md), not only equal counts.
 * Records are taken apart component by component, byte arrays by content: nothing depends on
 * identity hash codes.
 */
final class TraceDigest {

    /**
     * Record components left out of the digest, from {@code -Draft.sim.traceIgnores=a,b}: to
     * prove that a change altered nothing but those (e.g. the numbering of heartbeat rounds).
     */
    private static final java.util.Set<String> IGNORED =
            java.util.Set.of(System.getProperty("raft.sim.traceIgnores", "").split(","));

    private long hash = 0xcbf29ce484222325L;

    void add(long time, String node, Object value) {
        mix(time);
        mix(node);
        mix(value);
    }

    long value() {
        return hash;
    }

    private void mix(Object value) {
        if (value == null) {
            mixLong(0x9e3779b97f4a7c15L);
        } else if (value instanceof byte[] bytes) {
            mixLong(Arrays.hashCode(bytes));
        } else if (value instanceof Number
                || value instanceof Boolean
                || value instanceof String
                || value instanceof Enum<?>
                || value instanceof Character) {
            mixLong(value.toString().hashCode());
        } else if (value.getClass().isRecord()) {
            Method[] accessors = ACCESSORS.get(value.getClass());
            mixLong(value.getClass().getSimpleName().hashCode());
            for (Method accessor : accessors) {
                mix(read(accessor, value));
            }
        } else if (value instanceof Collection<?> items) {
            mixLong(items.size());
            items.forEach(this::mix);
        } else if (value instanceof Map<?, ?> map) {
            mixLong(map.size());
            map.forEach((k, v) -> {
                mix(k);
                mix(v);
            });
        } else {
            mixLong(value.toString().hashCode());
        }
    }

    private void mixLong(long v) {
        hash = (hash ^ v) * 0x100000001b3L;
        hash ^= hash >>> 29;
    }

    private static Object read(Method accessor, Object record) {
        try {
            return accessor.invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + accessor, e);
        }
    }

    /** Each record class' component accessors (minus the ignored ones), looked up once: reflection per Ready was slow. */
    private static final ClassValue<Method[]> ACCESSORS = new ClassValue<>() {
        @Override
        protected Method[] computeValue(Class<?> type) {
            return java.util.Arrays.stream(type.getRecordComponents())
                    .filter(c -> !IGNORED.contains(c.getName()))
                    .map(RecordComponent::getAccessor)
                    .peek(m -> m.setAccessible(true))
                    .toArray(Method[]::new);
        }
    };
}
