package io.raftboot.core.store;

import java.util.Arrays;
import java.util.Objects;

/**
 * A write to the {@link ConfigStore}, replicated through the Raft log in the binary form of
 * {@link ConfigCommandCodec}. The records check only what is wrong whatever the store's limits
 * (null or empty key, a key that is not valid Unicode, a negative version); the size limits are
 * checked by {@link ConfigStore#validate(ConfigCommand)}.
 *
 * <p>A put and a compare-and-set carry {@code maxKeys}: the most keys the store may hold for the
 * command to create a new key ({@link #UNLIMITED} = no bound). The proposing node stamps its own
 * limit into the command ({@link ConfigStore#encode}) so that applying it does not depend on any
 * node's settings: every replica decides the same from the same log entry.
 */
public sealed interface ConfigCommand permits ConfigCommand.Put, ConfigCommand.Delete, ConfigCommand.CompareAndSet {

    /** {@code maxKeys} of a command that may create a key without any bound on the store's size. */
    int UNLIMITED = 0;

    /** The key the command writes. */
    String key();

    /**
     * Sets {@code key} to {@code value} unconditionally (creating it if absent).
     *
     * @param maxKeys a new key is refused ({@link ConfigResult.Outcome#STORE_FULL}) when the store
     *     already holds this many keys; {@link #UNLIMITED} (0) for no bound
     */
    record Put(String key, byte[] value, int maxKeys) implements ConfigCommand {
        public Put {
            checkKey(key);
            Objects.requireNonNull(value, "value");
            checkMaxKeys(key, maxKeys);
            value = value.clone();
        }

        /** A put without a bound on the number of keys (until {@link ConfigStore#encode} stamps one). */
        public Put(String key, byte[] value) {
            this(key, value, UNLIMITED);
        }

        /** This put with another key limit. */
        public Put withMaxKeys(int limit) {
            return new Put(key, value, limit);
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Put p && p.key.equals(key) && Arrays.equals(p.value, value) && p.maxKeys == maxKeys;
        }

        @Override
        public int hashCode() {
            return Objects.hash(key, Arrays.hashCode(value), maxKeys);
        }

        @Override
        public String toString() {
            return "Put[" + key + ", " + value.length + "B" + (maxKeys == UNLIMITED ? "" : ", max " + maxKeys + " keys")
                    + "]";
        }
    }

    /** Removes {@code key}; a no-op ({@link ConfigResult.Outcome#NOT_FOUND}) if it is absent. */
    record Delete(String key) implements ConfigCommand {
        public Delete {
            checkKey(key);
        }
    }

    /**
     * Writes {@code key} only if its version (or its modIndex) is {@code expected}.
     *
     * @param compared what {@code expected} is compared with: the key's {@link VersionedValue#version()},
     *     which starts over at 1 when a key is deleted and created again (so a stale expectation can
     *     match again: ABA), or its {@link VersionedValue#modIndex()}, the log index of the write that
     *     last changed it, which never repeats for a key
     * @param expected the version or modIndex the key must have; 0 means the key must not exist
     * @param newValue the value to set, or {@code null} to delete the key
     * @param maxKeys a new key (expected 0) is refused ({@link ConfigResult.Outcome#STORE_FULL})
     *     when the store already holds this many keys; {@link #UNLIMITED} (0) for no bound
     */
    record CompareAndSet(String key, Compared compared, long expected, byte[] newValue, int maxKeys)
            implements ConfigCommand {

        /** What a compare-and-set compares its expectation with. */
        public enum Compared {
            VERSION,
            MOD_INDEX
        }

        public CompareAndSet {
            checkKey(key);
            checkMaxKeys(key, maxKeys);
            Objects.requireNonNull(compared, "compared");
            String what = compared == Compared.VERSION ? "version" : "modIndex";
            if (expected < 0) {
                throw new IllegalArgumentException("the expected " + what
                        + " must be >= 0 (0 = key must not exist), got " + expected + " for key '" + key + "'");
            }
            if (expected == 0 && newValue == null) {
                throw new IllegalArgumentException("compare-and-set of key '" + key + "' expecting it absent (" + what
                        + " 0) with a null value (delete) would never change anything");
            }
            newValue = newValue == null ? null : newValue.clone();
        }

        /** A compare-and-set on the key's version. */
        public CompareAndSet(String key, long expectedVersion, byte[] newValue, int maxKeys) {
            this(key, Compared.VERSION, expectedVersion, newValue, maxKeys);
        }

        /** A compare-and-set on the key's version, without a bound on the number of keys (until {@link ConfigStore#encode} stamps one). */
        public CompareAndSet(String key, long expectedVersion, byte[] newValue) {
            this(key, expectedVersion, newValue, UNLIMITED);
        }

        /** A compare-and-set on the key's modIndex: no ABA. */
        public static CompareAndSet onModIndex(String key, long expectedModIndex, byte[] newValue) {
            return new CompareAndSet(key, Compared.MOD_INDEX, expectedModIndex, newValue, UNLIMITED);
        }

        /** This compare-and-set with another key limit. */
        public CompareAndSet withMaxKeys(int limit) {
            return new CompareAndSet(key, compared, expected, newValue, limit);
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
            return o instanceof CompareAndSet c
                    && c.key.equals(key)
                    && c.compared == compared
                    && c.expected == expected
                    && Arrays.equals(c.newValue, newValue)
                    && c.maxKeys == maxKeys;
        }

        @Override
        public int hashCode() {
            return Objects.hash(key, compared, expected, Arrays.hashCode(newValue), maxKeys);
        }

        @Override
        public String toString() {
            return "CompareAndSet[" + key + ", expected " + (compared == Compared.VERSION ? "v" : "@") + expected + ", "
                    + (newValue == null ? "delete" : newValue.length + "B")
                    + (maxKeys == UNLIMITED ? "" : ", max " + maxKeys + " keys") + "]";
        }
    }

    private static void checkMaxKeys(String key, int maxKeys) {
        if (maxKeys < 0) {
            throw new IllegalArgumentException(
                    "maxKeys must be >= 0 (0 = no limit), got " + maxKeys + " for key '" + key + "'");
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
