package io.raftboot.core.config;

import java.util.Arrays;
import java.util.Objects;

/**
 * A write to the {@link ConfigStore}, replicated through the Raft log in the binary form of
 * {@link ConfigCommandCodec}. The records check only what is wrong whatever the store's limits
 * (null or empty key, a key that is not valid Unicode, a negative version); the size limits are
 * checked by {@link ConfigStore#validate(ConfigCommand)}.
 */
public sealed interface ConfigCommand permits ConfigCommand.Put, ConfigCommand.Delete, ConfigCommand.CompareAndSet {

    /** The key the command writes. */
    String key();

    /** Sets {@code key} to {@code value} unconditionally (creating it if absent). */
    record Put(String key, byte[] value) implements ConfigCommand {
        public Put {
            checkKey(key);
            Objects.requireNonNull(value, "value");
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Put p && p.key.equals(key) && Arrays.equals(p.value, value);
        }

        @Override
        public int hashCode() {
            return 31 * key.hashCode() + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Put[" + key + ", " + value.length + "B]";
        }
    }

    /** Removes {@code key}; a no-op ({@link ConfigResult.Outcome#NOT_FOUND}) if it is absent. */
    record Delete(String key) implements ConfigCommand {
        public Delete {
            checkKey(key);
        }
    }

    /**
     * Writes {@code key} only if its current version is {@code expectedVersion}.
     *
     * @param expectedVersion the version the key must have; 0 means the key must not exist
     * @param newValue the value to set, or {@code null} to delete the key
     */
    record CompareAndSet(String key, long expectedVersion, byte[] newValue) implements ConfigCommand {
        public CompareAndSet {
            checkKey(key);
            if (expectedVersion < 0) {
                throw new IllegalArgumentException("expectedVersion must be >= 0 (0 = key must not exist), got "
                        + expectedVersion + " for key '" + key + "'");
            }
            if (expectedVersion == 0 && newValue == null) {
                throw new IllegalArgumentException("compare-and-set of key '" + key
                        + "' expecting it absent (version 0) with a null value (delete) would never change anything");
            }
            newValue = newValue == null ? null : newValue.clone();
        }

        @Override
        public byte[] newValue() {
            return newValue == null ? null : newValue.clone();
        }

        /** Whether a successful compare-and-set deletes the key. */
        public boolean isDelete() {
            return newValue == null;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof CompareAndSet c && c.key.equals(key) && c.expectedVersion == expectedVersion
                    && Arrays.equals(c.newValue, newValue);
        }

        @Override
        public int hashCode() {
            return Objects.hash(key, expectedVersion, Arrays.hashCode(newValue));
        }

        @Override
        public String toString() {
            return "CompareAndSet[" + key + ", expected v" + expectedVersion + ", "
                    + (newValue == null ? "delete" : newValue.length + "B") + "]";
        }
    }

    private static void checkKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("a config key must not be empty");
        }
        // Throws if the key holds an unpaired surrogate: it would not survive a UTF-8 round trip.
        ConfigCommandCodec.utf8(key);
    }
}
