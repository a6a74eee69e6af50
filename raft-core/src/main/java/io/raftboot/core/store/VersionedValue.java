package io.raftboot.core.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One key's value in the {@link ConfigStore}. Immutable: the bytes are copied in and out.
 *
 * @param value the value's bytes
 * @param version the key's own version: 1 when created, +1 on every change; a key deleted and
 *     created again starts over at 1 (its {@code modIndex} tells the incarnations apart)
 * @param modIndex Raft log index of the command that last wrote the key (the same on every node)
 */
public record VersionedValue(byte[] value, long version, long modIndex) {

    public VersionedValue {
        Objects.requireNonNull(value, "value");
        value = value.clone();
        if (version < 1) {
            throw new IllegalArgumentException("a stored value's version starts at 1, got " + version);
        }
        if (modIndex < 0) {
            throw new IllegalArgumentException("modIndex must not be negative, got " + modIndex);
        }
    }

    /** A copy of the value's bytes. */
    @Override
    public byte[] value() {
        return value.clone();
    }

    /** The value decoded as UTF-8 (malformed bytes become U+FFFD). */
    public String valueAsString() {
        return new String(value, StandardCharsets.UTF_8);
    }

    /** Size of the value in bytes, without copying it. */
    public int size() {
        return value.length;
    }

    boolean sameValue(byte[] other) {
        return Arrays.equals(value, other);
    }

    byte[] rawValue() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionedValue v
                && v.version == version
                && v.modIndex == modIndex
                && Arrays.equals(v.value, value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, modIndex, Arrays.hashCode(value));
    }

    @Override
    public String toString() {
        return "VersionedValue[v" + version + " @" + modIndex + " " + value.length + "B]";
    }
}
