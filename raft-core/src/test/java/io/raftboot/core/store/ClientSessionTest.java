package io.raftboot.core.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftboot.core.store.ConfigResult.Outcome;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once writes through client sessions (Raft thesis §6.3), on the store alone: a retry of
 * a write the log already holds is answered with the first result and changes nothing, so the
 * lost updates and broken locks that blind retries caused cannot happen.
 */
class ClientSessionTest {

    private final ConfigStore store = new ConfigStore();
    private long index;

    private long openSession() {
        ConfigResult opened = store.apply(++index, store.encodeOpenSession());
        assertThat(opened.outcome()).isEqualTo(Outcome.SESSION_OPENED);
        return opened.modIndex();
    }

    private ConfigResult write(long session, long sequence, ConfigCommand command) {
        return write(session, sequence, 1, command);
    }

    private ConfigResult write(long session, long sequence, long lowestUnacknowledged, ConfigCommand command) {
        return store.apply(
                ++index, store.encode(new SessionCommand.Write(session, sequence, lowestUnacknowledged, command)));
    }

    private static ConfigCommand put(String key, String value) {
        return new ConfigCommand.Put(key, value.getBytes(UTF_8));
    }

    private String valueOf(String key) {
        return store.get(key).map(VersionedValue::valueAsString).orElse(null);
    }

    @Test
    void aSessionsIdIsTheLogIndexThatOpenedIt() {
        index = 41;
        assertThat(openSession()).isEqualTo(42);
        assertThat(store.configVersion()).isZero();
    }

    @Test
    void aRetriedPutIsAnsweredWithItsFirstResultAndDoesNotOverwriteALaterPut() {
        long a = openSession();
        long b = openSession();
        ConfigResult first = write(a, 1, put("k", "a"));
        write(b, 1, put("k", "b"));

        // A's first attempt was applied but its answer lost; the retry reaches the next leader.
        ConfigResult retry = write(a, 1, put("k", "a"));

        assertThat(retry).isEqualTo(first);
        assertThat(valueOf("k")).isEqualTo("b");
        assertThat(store.get("k").orElseThrow().version()).isEqualTo(2);
        assertThat(store.configVersion()).isEqualTo(2);
    }

    @Test
    void aRetriedDeleteDoesNotRemoveTheLockAnotherClientTookSince() {
        long a = openSession();
        long b = openSession();
        write(a, 1, put("lock", "a"));
        ConfigResult released = write(a, 2, new ConfigCommand.Delete("lock"));
        ConfigResult taken = write(b, 1, new ConfigCommand.CompareAndSet("lock", 0, "b".getBytes(UTF_8)));

        ConfigResult retriedRelease = write(a, 2, new ConfigCommand.Delete("lock"));

        assertThat(taken.applied()).isTrue();
        assertThat(retriedRelease).isEqualTo(released);
        assertThat(valueOf("lock")).isEqualTo("b");
    }

    @Test
    void aRetriedCompareAndSetIsAnsweredAppliedEvenThoughTheVersionMovedOn() {
        long a = openSession();
        write(a, 1, put("k", "v1"));
        ConfigResult cas = write(a, 2, new ConfigCommand.CompareAndSet("k", 1, "v2".getBytes(UTF_8)));

        assertThat(write(a, 2, new ConfigCommand.CompareAndSet("k", 1, "v2".getBytes(UTF_8))))
                .isEqualTo(cas);
        assertThat(cas.applied()).isTrue();
        assertThat(store.get("k").orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void aWriteOfAnUnknownSessionChangesNothingAndSaysTheSessionExpired() {
        ConfigResult r = write(99, 1, put("k", "v"));

        assertThat(r.outcome()).isEqualTo(Outcome.SESSION_EXPIRED);
        assertThat(store.get("k")).isEmpty();
        assertThat(store.configVersion()).isZero();
    }

    @Test
    void theIdlestSessionExpiresWhenASessionBeyondTheLimitOpens() {
        byte[] openOfTwo = SessionCodec.encode(new SessionCommand.Open(2, 10));
        long first = store.apply(++index, openOfTwo).modIndex();
        long second = store.apply(++index, openOfTwo).modIndex();
        write(first, 1, put("a", "1")); // the first is now the more recently active

        store.apply(++index, openOfTwo);

        assertThat(write(second, 1, put("b", "1")).outcome()).isEqualTo(Outcome.SESSION_EXPIRED);
        assertThat(write(first, 2, put("a", "2")).outcome()).isEqualTo(Outcome.APPLIED);
    }

    @Test
    void acknowledgedResultsAreForgottenAndALateDuplicateOfOneChangesNothing() {
        long a = openSession();
        write(a, 1, put("k", "1"));
        write(a, 2, 2, put("k", "2")); // the client saw the answer to 1

        assertThat(store.sessionResults(a)).containsOnlyKeys(2L);
        ConfigResult late = write(a, 1, put("k", "1"));
        assertThat(late.outcome()).isEqualTo(Outcome.STALE_REQUEST);
        assertThat(valueOf("k")).isEqualTo("2");
    }

    @Test
    void aSessionWithMoreWritesInFlightThanItsLimitForgetsTheOldestResult() {
        long a = store.apply(++index, SessionCodec.encode(new SessionCommand.Open(10, 2)))
                .modIndex();
        write(a, 1, put("k", "1"));
        write(a, 2, put("k", "2"));
        write(a, 3, put("k", "3"));

        assertThat(store.sessionResults(a)).containsOnlyKeys(2L, 3L);
        assertThat(write(a, 1, put("k", "1")).outcome()).isEqualTo(Outcome.STALE_REQUEST);
        assertThat(valueOf("k")).isEqualTo("3");
    }

    @Test
    void sessionsAndTheirResultsSurviveASnapshotAndRestore() {
        long a = openSession();
        ConfigResult first = write(a, 1, put("k", "a"));
        ConfigStore restored = new ConfigStore();
        restored.restore(store.snapshot());
        assertThat(restored.snapshot()).isEqualTo(store.snapshot());

        ConfigResult retry = restored.apply(++index, restored.encode(new SessionCommand.Write(a, 1, 1, put("k", "a"))));

        assertThat(retry).isEqualTo(first);
        assertThat(restored.configVersion()).isEqualTo(1);
    }

    @Test
    void aSnapshotOfTheFormatWithoutSessionsStillRestores() {
        // Format 1 as earlier releases wrote it: one key "k" = "v", version 1, modIndex 3, configVersion 1.
        byte[] format1 = {
            1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 'k', 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 3, 0,
            0, 0, 1, 'v'
        };
        store.restore(format1);

        assertThat(valueOf("k")).isEqualTo("v");
        assertThat(write(7, 1, put("k", "w")).outcome()).isEqualTo(Outcome.SESSION_EXPIRED);
    }

    @Test
    void sessionCommandsRoundTripAndGarbageIsRejectedAsMalformed() {
        SessionCommand.Write w =
                new SessionCommand.Write(5, 9, 3, ConfigCommand.CompareAndSet.onModIndex("k", 4, null));
        assertThat(SessionCodec.decode(SessionCodec.encode(w))).isEqualTo(w);
        SessionCommand.Open o = new SessionCommand.Open(3, 4);
        assertThat(SessionCodec.decode(SessionCodec.encode(o))).isEqualTo(o);

        assertThat(store.apply(++index, new byte[] {SessionCodec.WRITE, 0, 1}).outcome())
                .isEqualTo(Outcome.MALFORMED);
        assertThat(store.apply(++index, new byte[] {SessionCodec.OPEN, 0, 0, 0, 0, 0, 0, 0, 1})
                        .outcome())
                .isEqualTo(Outcome.MALFORMED);
        assertThatThrownBy(() -> new SessionCommand.Write(1, 2, 3, put("k", "v")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------ compare-and-set without ABA

    @Test
    void compareAndSetOnTheModIndexRefusesAKeyDeletedAndCreatedAgainWhileTheVersionCannotTell() {
        ConfigResult created = store.apply(++index, store.encode(put("lock", "a")));
        store.apply(++index, store.encode(new ConfigCommand.Delete("lock")));
        store.apply(++index, store.encode(put("lock", "b"))); // version 1 again: ABA for version CAS

        ConfigResult byModIndex = store.apply(
                ++index, store.encode(ConfigCommand.CompareAndSet.onModIndex("lock", created.modIndex(), null)));
        assertThat(byModIndex.outcome()).isEqualTo(Outcome.VERSION_MISMATCH);
        assertThat(byModIndex.modIndex()).isEqualTo(3);
        assertThat(valueOf("lock")).isEqualTo("b");

        ConfigResult byVersion =
                store.apply(++index, store.encode(new ConfigCommand.CompareAndSet("lock", created.newVersion(), null)));
        assertThat(byVersion.applied())
                .as("version CAS cannot tell the incarnations apart")
                .isTrue();
    }

    @Test
    void compareAndSetOnTheModIndexWritesAtTheExpectedModIndexAndCreatesAtZero() {
        ConfigResult created =
                store.apply(++index, store.encode(ConfigCommand.CompareAndSet.onModIndex("k", 0, "1".getBytes(UTF_8))));
        ConfigResult updated = store.apply(
                ++index,
                store.encode(ConfigCommand.CompareAndSet.onModIndex("k", created.modIndex(), "2".getBytes(UTF_8))));

        assertThat(created.applied()).isTrue();
        assertThat(created.modIndex()).isEqualTo(1);
        assertThat(updated.applied()).isTrue();
        assertThat(updated.modIndex()).isEqualTo(2);
        assertThat(store.get("k").orElseThrow().modIndex()).isEqualTo(2);
        assertThat(valueOf("k")).isEqualTo("2");
    }
}
