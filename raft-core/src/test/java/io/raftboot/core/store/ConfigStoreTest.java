package io.raftboot.core.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftboot.core.store.ConfigResult.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigStoreTest {

    private final ConfigStore store = new ConfigStore(16, 8);
    private long index;

    private ConfigResult apply(ConfigCommand command) {
        return store.apply(++index, ConfigCommandCodec.encode(command));
    }

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void putCreatesKeyAtVersionOneAndBumpsConfigVersion() {
        ConfigResult r = apply(new ConfigCommand.Put("a", b("1")));

        assertThat(r).isEqualTo(new ConfigResult(Outcome.APPLIED, "a", 0, 1, 1, 1));
        assertThat(store.get("a")).contains(new VersionedValue(b("1"), 1, 1));
        assertThat(store.configVersion()).isEqualTo(1);
    }

    @Test
    void everyPutBumpsKeyVersionAndConfigVersionByOneEvenWithTheSameValue() {
        apply(new ConfigCommand.Put("a", b("1")));
        apply(new ConfigCommand.Put("b", b("x")));
        ConfigResult changed = apply(new ConfigCommand.Put("a", b("2")));
        ConfigResult same = apply(new ConfigCommand.Put("a", b("2")));

        assertThat(changed).isEqualTo(new ConfigResult(Outcome.APPLIED, "a", 1, 2, 3, 3));
        assertThat(same).isEqualTo(new ConfigResult(Outcome.APPLIED, "a", 2, 3, 4, 4));
        assertThat(store.get("a").orElseThrow().version()).isEqualTo(3);
        assertThat(store.get("a").orElseThrow().modIndex()).isEqualTo(4);
        assertThat(store.get("b").orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void deleteRemovesKeyAndARecreatedKeyStartsAgainAtVersionOne() {
        apply(new ConfigCommand.Put("a", b("1")));
        apply(new ConfigCommand.Put("a", b("2")));

        assertThat(apply(new ConfigCommand.Delete("a"))).isEqualTo(new ConfigResult(Outcome.APPLIED, "a", 2, 0, 3, 0));
        assertThat(store.get("a")).isEmpty();
        assertThat(apply(new ConfigCommand.Put("a", b("3"))))
                .isEqualTo(new ConfigResult(Outcome.APPLIED, "a", 0, 1, 4, 4));
    }

    @Test
    void deleteOfAnAbsentKeyChangesNothing() {
        apply(new ConfigCommand.Put("a", b("1")));

        assertThat(apply(new ConfigCommand.Delete("zzz")))
                .isEqualTo(new ConfigResult(Outcome.NOT_FOUND, "zzz", 0, 0, 1, 0));
        assertThat(store.configVersion()).isEqualTo(1);
    }

    @Test
    void compareAndSetWritesOnlyAtTheExpectedVersion() {
        assertThat(apply(new ConfigCommand.CompareAndSet("a", 0, b("1"))))
                .isEqualTo(new ConfigResult(Outcome.APPLIED, "a", 0, 1, 1, 1));
        assertThat(apply(new ConfigCommand.CompareAndSet("a", 0, b("x"))))
                .isEqualTo(new ConfigResult(Outcome.VERSION_MISMATCH, "a", 1, 1, 1, 1));
        assertThat(apply(new ConfigCommand.CompareAndSet("a", 2, b("x"))))
                .isEqualTo(new ConfigResult(Outcome.VERSION_MISMATCH, "a", 1, 1, 1, 1));
        assertThat(store.get("a").orElseThrow().valueAsString()).isEqualTo("1");

        assertThat(apply(new ConfigCommand.CompareAndSet("a", 1, b("2"))))
                .isEqualTo(new ConfigResult(Outcome.APPLIED, "a", 1, 2, 2, 4));
        assertThat(store.get("a").orElseThrow().valueAsString()).isEqualTo("2");
    }

    @Test
    void compareAndSetWithNullValueDeletesAtTheExpectedVersion() {
        apply(new ConfigCommand.Put("a", b("1")));

        assertThat(apply(new ConfigCommand.CompareAndSet("a", 2, null)).outcome())
                .isEqualTo(Outcome.VERSION_MISMATCH);
        assertThat(store.get("a")).isPresent();
        assertThat(apply(new ConfigCommand.CompareAndSet("a", 1, null)))
                .isEqualTo(new ConfigResult(Outcome.APPLIED, "a", 1, 0, 2, 0));
        assertThat(store.get("a")).isEmpty();
    }

    @Test
    void compareAndSetExpectingAbsenceWithDeleteIsRefusedAtConstruction() {
        assertThatThrownBy(() -> new ConfigCommand.CompareAndSet("a", 0, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConfigCommand.CompareAndSet("a", -1, b("1")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void configVersionGrowsByExactlyOnePerAppliedChangeAndNeverOtherwise() {
        List<ConfigCommand> commands = List.of(
                new ConfigCommand.Put("a", b("1")),
                new ConfigCommand.Delete("nope"),
                new ConfigCommand.CompareAndSet("a", 7, b("x")),
                new ConfigCommand.Put("a", b("1")),
                new ConfigCommand.Put("waytoolongkey-waytoolongkey", b("1")),
                new ConfigCommand.Put("big", b("123456789")),
                new ConfigCommand.Delete("a"));
        long expected = 0;
        for (ConfigCommand c : commands) {
            ConfigResult r = apply(c);
            expected += r.applied() ? 1 : 0;
            assertThat(r.configVersion()).isEqualTo(expected);
            assertThat(store.configVersion()).isEqualTo(expected);
        }
        assertThat(expected).isEqualTo(3);
    }

    @Test
    void oversizedCommandsAreRefusedAtProposeTimeAndRejectedAtApply() {
        ConfigCommand longKey = new ConfigCommand.Put("k".repeat(17), b("1"));
        ConfigCommand bigValue = new ConfigCommand.Put("k", new byte[9]);
        ConfigCommand bigCas = new ConfigCommand.CompareAndSet("k", 0, new byte[9]);

        for (ConfigCommand c : List.of(longKey, bigValue, bigCas)) {
            assertThatThrownBy(() -> store.encode(c))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("limit");
            assertThat(apply(c).outcome()).isEqualTo(Outcome.TOO_LARGE);
        }
        assertThat(store.configVersion()).isZero();
        assertThat(store.size()).isZero();
        assertThat(store.encode(new ConfigCommand.Put("k".repeat(16), new byte[8])))
                .isNotEmpty();
    }

    @Test
    void keyLimitCountsUtf8BytesNotChars() {
        ConfigCommand eightEuros = new ConfigCommand.Put("€".repeat(6), b("1")); // 18 bytes
        assertThatThrownBy(() -> store.validate(eightEuros)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void malformedCommandBytesApplyAsRejectedWithoutChangingAnything() {
        apply(new ConfigCommand.Put("a", b("1")));

        ConfigResult r = store.apply(++index, new byte[] {1, 9, 0});

        assertThat(r).isEqualTo(new ConfigResult(Outcome.MALFORMED, null, 0, 0, 1, 0));
        assertThat(store.configVersion()).isEqualTo(1);
    }

    @Test
    void getAllReturnsTheKeysWithThePrefixSorted() {
        apply(new ConfigCommand.Put("app.b", b("2")));
        apply(new ConfigCommand.Put("app.a", b("1")));
        apply(new ConfigCommand.Put("apq", b("x")));
        apply(new ConfigCommand.Put("ap", b("y")));

        assertThat(store.getAll("app.").keySet()).containsExactly("app.a", "app.b");
        assertThat(store.getAll("").keySet()).containsExactly("ap", "app.a", "app.b", "apq");
        assertThat(store.getAll("zz")).isEmpty();
    }

    @Test
    void readsAreImmutableSnapshots() {
        apply(new ConfigCommand.Put("a", b("1")));
        var all = store.getAll("");
        byte[] value = store.get("a").orElseThrow().value();
        value[0] = 'X';

        apply(new ConfigCommand.Put("b", b("2")));

        assertThat(all).containsOnlyKeys("a");
        assertThat(store.get("a").orElseThrow().valueAsString()).isEqualTo("1");
        assertThatThrownBy(() -> all.put("c", null)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void snapshotRestoreRoundTripReproducesTheStoreAndIsDeterministic() {
        apply(new ConfigCommand.Put("b", b("2")));
        apply(new ConfigCommand.Put("a", b("1")));
        apply(new ConfigCommand.Put("a", b("11")));
        apply(new ConfigCommand.Put("ünï", new byte[0]));
        apply(new ConfigCommand.Delete("b"));
        byte[] snapshot = store.snapshot();

        ConfigStore copy = new ConfigStore(16, 8);
        copy.restore(snapshot);

        assertThat(copy.getAll("")).isEqualTo(store.getAll(""));
        assertThat(copy.configVersion()).isEqualTo(5);
        assertThat(copy.snapshot()).isEqualTo(snapshot);
        // The same commands in the same order give the same bytes on another node.
        assertThat(store.snapshot()).isEqualTo(snapshot);
    }

    @Test
    void restoreTellsListenersAboutEveryDifferingKey() {
        ConfigStore leader = new ConfigStore();
        leader.apply(1, ConfigCommandCodec.encode(new ConfigCommand.Put("same", b("s"))));
        leader.apply(2, ConfigCommandCodec.encode(new ConfigCommand.Put("new", b("n"))));
        apply(new ConfigCommand.Put("same", b("s")));
        apply(new ConfigCommand.Put("gone", b("g")));
        List<String> changes = new ArrayList<>();
        store.addListener((key, oldValue, newValue, cv) ->
                changes.add(key + ":" + (oldValue != null) + ":" + (newValue != null) + ":" + cv));

        store.restore(leader.snapshot());

        assertThat(changes).containsExactly("gone:true:false:2", "new:false:true:2");
    }

    @Test
    void restoreRejectsMalformedSnapshotsAndKeepsTheStore() {
        apply(new ConfigCommand.Put("a", b("1")));
        byte[] good = store.snapshot();

        for (byte[] bad : List.of(
                new byte[0],
                new byte[] {2},
                java.util.Arrays.copyOf(good, good.length - 1),
                java.util.Arrays.copyOf(good, good.length + 1),
                new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, -1, -1, -1})) {
            assertThatThrownBy(() -> store.restore(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(store.get("a")).isPresent();
        assertThat(store.configVersion()).isEqualTo(1);
    }

    @Test
    void listenersHearEachChangeAndAFailingListenerDoesNotStopTheOthers() {
        List<String> heard = new ArrayList<>();
        store.addListener((key, o, n, cv) -> {
            throw new IllegalStateException("boom");
        });
        store.addListener((key, o, n, cv) -> heard.add(key + " " + (o == null ? "-" : o.valueAsString()) + "->"
                + (n == null ? "-" : n.valueAsString()) + " @" + cv));

        apply(new ConfigCommand.Put("a", b("1")));
        apply(new ConfigCommand.CompareAndSet("a", 9, b("x")));
        apply(new ConfigCommand.Put("a", b("2")));
        apply(new ConfigCommand.Delete("a"));

        assertThat(heard).containsExactly("a -->1 @1", "a 1->2 @2", "a 2->- @3");
    }

    @Test
    void keysMustBeNonEmptyValidUnicode() {
        assertThatThrownBy(() -> new ConfigCommand.Put("", b("1"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConfigCommand.Delete("bad\uD800")).isInstanceOf(IllegalArgumentException.class);
    }
    // ------------------------------------------------------------------ key limit

    @Test
    void aPutOfANewKeyIsRefusedWhenTheStoreHoldsAsManyKeysAsTheCommandAllows() {
        apply(new ConfigCommand.Put("a", b("1"), 2));
        apply(new ConfigCommand.Put("b", b("1"), 2));

        ConfigResult refused = apply(new ConfigCommand.Put("c", b("1"), 2));

        assertThat(refused).isEqualTo(new ConfigResult(Outcome.STORE_FULL, "c", 0, 0, 2, 0));
        assertThat(store.get("c")).isEmpty();
        assertThat(store.size()).isEqualTo(2);
        assertThat(store.configVersion()).isEqualTo(2);
    }

    @Test
    void aFullStoreStillUpdatesAndDeletesExistingKeysAndAcceptsANewKeyAfterADelete() {
        apply(new ConfigCommand.Put("a", b("1"), 2));
        apply(new ConfigCommand.Put("b", b("1"), 2));

        assertThat(apply(new ConfigCommand.Put("a", b("2"), 2)).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(apply(new ConfigCommand.CompareAndSet("b", 1, b("2"), 2)).outcome())
                .isEqualTo(Outcome.APPLIED);
        assertThat(apply(new ConfigCommand.CompareAndSet("c", 0, b("1"), 2)).outcome())
                .isEqualTo(Outcome.STORE_FULL);
        assertThat(apply(new ConfigCommand.Delete("b")).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(apply(new ConfigCommand.Put("c", b("1"), 2)).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(store.getAll("").keySet()).containsExactly("a", "c");
    }

    @Test
    void aCompareAndSetExpectingAnotherVersionReportsTheMismatchRatherThanAFullStore() {
        apply(new ConfigCommand.Put("a", b("1"), 1));

        ConfigResult r = apply(new ConfigCommand.CompareAndSet("z", 3, b("1"), 1));

        assertThat(r.outcome()).isEqualTo(Outcome.VERSION_MISMATCH);
    }

    @Test
    void theLimitComesFromTheCommandSoStoresWithDifferentSettingsApplyTheSameLog() {
        ConfigStore strict = new ConfigStore(16, 8, 1);
        ConfigStore lax = new ConfigStore(16, 8, 100);
        ConfigStore unlimited = new ConfigStore(16, 8, ConfigCommand.UNLIMITED);
        List<byte[]> log = List.of(
                strict.encode(new ConfigCommand.Put("a", b("1"))), // stamped 1
                lax.encode(new ConfigCommand.Put("b", b("1"))), // stamped 100
                strict.encode(new ConfigCommand.Put("c", b("1"))), // stamped 1: full
                unlimited.encode(new ConfigCommand.Put("d", b("1"))), // no limit
                strict.encode(new ConfigCommand.CompareAndSet("e", 0, b("1")))); // stamped 1: full

        List<List<Outcome>> outcomes = new ArrayList<>();
        for (ConfigStore s : List.of(strict, lax, unlimited)) {
            List<Outcome> applied = new ArrayList<>();
            long i = 0;
            for (byte[] entry : log) {
                applied.add(s.apply(++i, entry).outcome());
            }
            outcomes.add(applied);
        }

        assertThat(outcomes.get(0))
                .containsExactly(
                        Outcome.APPLIED, Outcome.APPLIED, Outcome.STORE_FULL, Outcome.APPLIED, Outcome.STORE_FULL);
        assertThat(outcomes).allSatisfy(o -> assertThat(o).isEqualTo(outcomes.get(0)));
        assertThat(strict.snapshot()).isEqualTo(lax.snapshot()).isEqualTo(unlimited.snapshot());
    }

    @Test
    void encodeStampsThisStoresLimitIntoPutsAndValueWritingCompareAndSetsReplacingAnyOther() {
        ConfigStore limited = new ConfigStore(16, 8, 7);

        assertThat(ConfigCommandCodec.decode(limited.encode(new ConfigCommand.Put("k", b("1"), 99))))
                .isEqualTo(new ConfigCommand.Put("k", b("1"), 7));
        assertThat(ConfigCommandCodec.decode(limited.encode(new ConfigCommand.CompareAndSet("k", 0, b("1")))))
                .isEqualTo(new ConfigCommand.CompareAndSet("k", 0, b("1"), 7));
        assertThat(ConfigCommandCodec.decode(limited.encode(new ConfigCommand.CompareAndSet("k", 2, null))))
                .isEqualTo(new ConfigCommand.CompareAndSet("k", 2, null));
        assertThat(ConfigCommandCodec.decode(new ConfigStore(16, 8, 0).encode(new ConfigCommand.Put("k", b("1"), 99))))
                .isEqualTo(new ConfigCommand.Put("k", b("1")));
        assertThat(new ConfigStore().maxKeys()).isEqualTo(ConfigStore.DEFAULT_MAX_KEYS);
    }

    @Test
    void aStoreRestoredAboveTheLimitKeepsItsKeysAndCanShrink() {
        ConfigStore big = new ConfigStore(16, 8, 0);
        for (String k : List.of("a", "b", "c")) {
            big.apply(++index, big.encode(new ConfigCommand.Put(k, b("1"))));
        }
        ConfigStore small = new ConfigStore(16, 8, 2);
        small.restore(big.snapshot());

        assertThat(small.apply(10, small.encode(new ConfigCommand.Put("d", b("1"))))
                        .outcome())
                .isEqualTo(Outcome.STORE_FULL);
        assertThat(small.apply(11, small.encode(new ConfigCommand.Put("a", b("2"))))
                        .outcome())
                .isEqualTo(Outcome.APPLIED);
        assertThat(small.apply(12, small.encode(new ConfigCommand.Delete("a"))).outcome())
                .isEqualTo(Outcome.APPLIED);
        assertThat(small.apply(13, small.encode(new ConfigCommand.Put("d", b("1"))))
                        .outcome())
                .isEqualTo(Outcome.STORE_FULL);
        assertThat(small.apply(14, small.encode(new ConfigCommand.Delete("b"))).outcome())
                .isEqualTo(Outcome.APPLIED);
        assertThat(small.apply(15, small.encode(new ConfigCommand.Put("d", b("1"))))
                        .outcome())
                .isEqualTo(Outcome.APPLIED);
    }

    @Test
    void aNegativeStoreLimitIsRefused() {
        assertThatThrownBy(() -> new ConfigStore(16, 8, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxKeys");
    }
}
