package io.raftboot.core.sim;

import io.raftboot.core.statemachine.StateMachine;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A small versioned key-value store with the config store's semantics (put, compare-and-set,
 * a configVersion that grows by one per applied change), in a text encoding the simulation can
 * read back. Commands: {@code put <key> <value> <id>} and {@code cas <key> <expectedVersion> <value> <id>}.
 */
final class SimStateMachine implements StateMachine {

    record Versioned(String value, long version) {
    }

    private TreeMap<String, Versioned> data = new TreeMap<>();
    private long configVersion;

    static byte[] put(String key, String value, long id) {
        return ("put " + key + " " + value + " " + id).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] cas(String key, long expectedVersion, String value, long id) {
        return ("cas " + key + " " + expectedVersion + " " + value + " " + id).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Object apply(long index, byte[] command) {
        String[] parts = new String(command, StandardCharsets.UTF_8).split(" ");
        String key = parts[1];
        Versioned current = data.get(key);
        long currentVersion = current == null ? 0 : current.version();
        if (parts[0].equals("cas") && Long.parseLong(parts[2]) != currentVersion) {
            return Boolean.FALSE;
        }
        String value = parts[0].equals("cas") ? parts[3] : parts[2];
        data.put(key, new Versioned(value, currentVersion + 1));
        configVersion++;
        return Boolean.TRUE;
    }

    long configVersion() {
        return configVersion;
    }

    Versioned get(String key) {
        return data.get(key);
    }

    @Override
    public byte[] snapshot() {
        StringBuilder sb = new StringBuilder().append(configVersion);
        data.forEach((k, v) -> sb.append('\n').append(k).append(' ').append(v.value()).append(' ').append(v.version()));
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void restore(byte[] snapshot) {
        String[] lines = new String(snapshot, StandardCharsets.UTF_8).split("\n");
        TreeMap<String, Versioned> restored = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] p = lines[i].split(" ");
            restored.put(p[0], new Versioned(p[1], Long.parseLong(p[2])));
        }
        data = restored;
        configVersion = Long.parseLong(lines[0]);
    }

    List<String> keys() {
        return new ArrayList<>(data.keySet());
    }
}
