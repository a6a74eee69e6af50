package io.raftboot.testsupport.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random histories that are linearizable by construction: operations take effect one after another
 * at strictly increasing instants of a simulated clock, on a model of the config store written here
 * independently of {@link ConfigStoreModel}; each operation's invocation and completion are then
 * placed around its instant (jitter), each client doing one thing at a time. The instants are a
 * witness linearization, so the checker must accept every such history.
 */
final class HistoryGenerator {

    /** The knobs: how many operations, keys and clients, how many unknown outcomes, how much overlap. */
    record Shape(int operations, int keys, int clients, double unknownRate, int maxJitter) {}

    /** The store as the generator sees it: key -> (value, version). */
    private record Entry(String value, long version) {}

    private HistoryGenerator() {}

    static List<Operation> generate(Random random, Shape shape) {
        Map<String, Entry> store = new HashMap<>();
        long[] clientFreeAt = new long[shape.clients()];
        List<Operation> history = new ArrayList<>(shape.operations());
        long instant = 0;
        for (int id = 0; id < shape.operations(); id++) {
            int c = random.nextInt(shape.clients());
            String client = "c" + c;
            instant = Math.max(instant + 1 + random.nextInt(3), clientFreeAt[c] + 1);
            long invoke = Math.max(clientFreeAt[c] + 1, instant - random.nextInt(shape.maxJitter() + 1));
            String key = "k" + random.nextInt(shape.keys());
            Entry current = store.get(key);
            long version = current == null ? 0 : current.version();
            boolean unknown = random.nextDouble() < shape.unknownRate();
            // An unknown outcome: the operation took effect at its instant, or never.
            boolean takesEffect = !unknown || random.nextBoolean();
            String value = "v" + id + (random.nextInt(10) == 0 ? " with space\nand newline" : "");
            int dice = random.nextInt(100);
            Operation invoked;
            Result result;
            if (dice < 30) {
                invoked = Operation.unknownPut(id, client, key, value, invoke);
                result = Result.applied(version + 1);
                if (takesEffect) {
                    store.put(key, new Entry(value, version + 1));
                }
            } else if (dice < 40) {
                invoked = Operation.unknownDelete(id, client, key, invoke);
                result = current != null ? Result.applied(0) : Result.notApplied(0);
                if (takesEffect) {
                    store.remove(key);
                }
            } else if (dice < 65) {
                // Half of the CAS expect the right version, as a client that just read would.
                long expected = random.nextBoolean() ? version : random.nextInt((int) version + 2);
                String newValue = expected != 0 && random.nextInt(5) == 0 ? null : value;
                invoked = Operation.unknownCas(id, client, key, expected, newValue, invoke);
                boolean matches = expected == version;
                long after = !matches ? version : newValue == null ? 0 : version + 1;
                result = matches ? Result.applied(after) : Result.notApplied(after);
                if (takesEffect && matches) {
                    if (newValue == null) {
                        store.remove(key);
                    } else {
                        store.put(key, new Entry(newValue, after));
                    }
                }
            } else {
                invoked = Operation.unknownRead(id, client, key, invoke);
                result = Result.read(current == null ? null : current.value(), version);
            }
            long done = instant + random.nextInt(shape.maxJitter() + 1);
            clientFreeAt[c] = done; // an unknown outcome: the client gave up then
            history.add(unknown ? invoked : invoked.completed(done, result));
        }
        return history;
    }
}
