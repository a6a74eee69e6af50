package io.raftboot.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftboot.core.log.EntryType;
import io.raftboot.core.log.LogEntry;
import io.raftboot.core.node.Membership;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link Storage} contract, run against every implementation. {@link #reloaded()} is what a
 * restarted node would read back (for {@link FileStorage}: close, reopen the directory, load).
 */
abstract class StorageContractTest {

    protected Storage storage;

    /** A new storage with nothing in it, already loaded. */
    protected abstract Storage openEmpty() throws Exception;

    /** What a node restarted now would load. May replace {@link #storage} with a reopened one. */
    protected abstract PersistentState reloaded() throws Exception;

    @BeforeEach
    void open() throws Exception {
        storage = openEmpty();
    }

    @AfterEach
    void closeStorage() {
        storage.close();
    }

    static LogEntry entry(long index, long term) {
        return new LogEntry(
                index, term, EntryType.NORMAL, ("cmd-" + index + "@" + term).getBytes(StandardCharsets.UTF_8));
    }

    static List<LogEntry> entries(long from, long to, long term) {
        List<LogEntry> list = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            list.add(entry(i, term));
        }
        return list;
    }

    static Snapshot snapshot(long index, long term) {
        return new Snapshot(
                index,
                term,
                new Membership(java.util.Set.of("n1", "n2", "n3"), java.util.Set.of("l1")),
                ("state@" + index).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aNewStorageLoadsNothing() throws Exception {
        assertThat(reloaded()).isEqualTo(PersistentState.EMPTY);
    }

    @Test
    void appendedEntriesLoadBackInOrder() throws Exception {
        storage.append(entries(1, 3, 1));
        storage.append(List.of(LogEntry.noop(4, 2)));
        storage.append(entries(5, 6, 2));

        List<LogEntry> expected = new ArrayList<>(entries(1, 3, 1));
        expected.add(LogEntry.noop(4, 2));
        expected.addAll(entries(5, 6, 2));
        assertThat(reloaded().entries()).isEqualTo(expected);
    }

    @Test
    void appendingAnEmptyListChangesNothing() throws Exception {
        storage.append(entries(1, 2, 1));
        storage.append(List.of());
        assertThat(reloaded().entries()).isEqualTo(entries(1, 2, 1));
    }

    @Test
    void appendAtAnIndexTheLogHoldsTruncatesTheConflictingSuffix() throws Exception {
        storage.append(entries(1, 5, 1));
        storage.append(entries(3, 4, 2));

        List<LogEntry> expected = new ArrayList<>(entries(1, 2, 1));
        expected.addAll(entries(3, 4, 2));
        assertThat(reloaded().entries()).isEqualTo(expected);
    }

    @Test
    void appendAtTheFirstIndexReplacesTheWholeLog() throws Exception {
        storage.append(entries(1, 3, 1));
        storage.append(entries(1, 1, 3));
        assertThat(reloaded().entries()).isEqualTo(entries(1, 1, 3));
    }

    @Test
    void appendLeavingAGapIsRejectedAndChangesNothing() throws Exception {
        storage.append(entries(1, 2, 1));
        assertThatThrownBy(() -> storage.append(entries(4, 5, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gap");
        assertThat(reloaded().entries()).isEqualTo(entries(1, 2, 1));
    }

    @Test
    void appendOfNonContiguousEntriesIsRejectedAndChangesNothing() throws Exception {
        storage.append(entries(1, 2, 1));
        assertThatThrownBy(() -> storage.append(List.of(entry(3, 1), entry(5, 1))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(reloaded().entries()).isEqualTo(entries(1, 2, 1));
    }

    @Test
    void theLastSavedHardStateLoadsBack() throws Exception {
        storage.saveHardState(new HardState(1, "n1", 0));
        storage.saveHardState(new HardState(2, null, 3));
        storage.saveHardState(new HardState(2, "n3", 4));
        assertThat(reloaded().hardState()).isEqualTo(new HardState(2, "n3", 4));
    }

    @Test
    void aHardStateWithoutVoteLoadsBackWithoutVote() throws Exception {
        storage.saveHardState(new HardState(5, "n2", 1));
        storage.saveHardState(new HardState(6, null, 1));
        assertThat(reloaded().hardState()).isEqualTo(new HardState(6, null, 1));
    }

    @Test
    void snapshotKeepsTheEntriesAfterItWhenTheLogHoldsItsLastEntry() throws Exception {
        storage.append(entries(1, 10, 1));
        storage.saveHardState(new HardState(1, "n1", 7));
        storage.saveSnapshot(snapshot(7, 1));

        PersistentState state = reloaded();
        assertThat(state.snapshot()).isEqualTo(snapshot(7, 1));
        assertThat(state.entries()).isEqualTo(entries(8, 10, 1));
        assertThat(state.hardState()).isEqualTo(new HardState(1, "n1", 7));
    }

    @Test
    void snapshotAtTheLastEntryLeavesAnEmptyLogThatAppendsContinue() throws Exception {
        storage.append(entries(1, 4, 1));
        storage.saveSnapshot(snapshot(4, 1));
        storage.append(entries(5, 6, 2));

        PersistentState state = reloaded();
        assertThat(state.snapshot()).isEqualTo(snapshot(4, 1));
        assertThat(state.entries()).isEqualTo(entries(5, 6, 2));
    }

    @Test
    void snapshotDiscardsTheWholeLogWhenItsLastTermDiffers() throws Exception {
        storage.append(entries(1, 10, 1));
        storage.saveSnapshot(snapshot(7, 2));

        PersistentState state = reloaded();
        assertThat(state.snapshot()).isEqualTo(snapshot(7, 2));
        assertThat(state.entries()).isEmpty();
    }

    @Test
    void snapshotBeyondTheLogDiscardsTheWholeLog() throws Exception {
        storage.append(entries(1, 3, 1));
        storage.saveSnapshot(snapshot(20, 4));
        storage.append(entries(21, 22, 4));

        PersistentState state = reloaded();
        assertThat(state.snapshot()).isEqualTo(snapshot(20, 4));
        assertThat(state.entries()).isEqualTo(entries(21, 22, 4));
    }

    @Test
    void aLaterSnapshotReplacesTheEarlierOne() throws Exception {
        storage.append(entries(1, 10, 1));
        storage.saveSnapshot(snapshot(3, 1));
        storage.saveSnapshot(snapshot(6, 1));

        PersistentState state = reloaded();
        assertThat(state.snapshot()).isEqualTo(snapshot(6, 1));
        assertThat(state.entries()).isEqualTo(entries(7, 10, 1));
    }

    @Test
    void anOlderSnapshotIsRejectedAndChangesNothing() throws Exception {
        storage.append(entries(1, 10, 1));
        storage.saveSnapshot(snapshot(6, 1));
        assertThatThrownBy(() -> storage.saveSnapshot(snapshot(3, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("older");

        PersistentState state = reloaded();
        assertThat(state.snapshot()).isEqualTo(snapshot(6, 1));
        assertThat(state.entries()).isEqualTo(entries(7, 10, 1));
    }

    @Test
    void appendedEntriesTheSnapshotCoversAreDropped() throws Exception {
        storage.append(entries(1, 5, 1));
        storage.saveSnapshot(snapshot(5, 1));
        storage.append(entries(4, 7, 1));

        assertThat(reloaded().entries()).isEqualTo(entries(6, 7, 1));
    }

    @Test
    void appendBelowTheSnapshotTruncatesTheEntriesAfterIt() throws Exception {
        storage.append(entries(1, 8, 1));
        storage.saveSnapshot(snapshot(5, 1));
        storage.append(List.of(entry(5, 1), entry(6, 2)));

        assertThat(reloaded().entries()).isEqualTo(List.of(entry(6, 2)));
    }

    @Test
    void persistInstallsTheSnapshotThenAppendsThenSavesTheHardState() throws Exception {
        storage.append(entries(1, 5, 1));
        storage.saveHardState(new HardState(1, "n1", 2));
        // Entries 11..12 only fit after the snapshot has replaced the log (gap otherwise).
        storage.persist(snapshot(10, 3), entries(11, 12, 3), new HardState(3, "n2", 10));

        PersistentState state = reloaded();
        assertThat(state.snapshot()).isEqualTo(snapshot(10, 3));
        assertThat(state.entries()).isEqualTo(entries(11, 12, 3));
        assertThat(state.hardState()).isEqualTo(new HardState(3, "n2", 10));
    }

    @Test
    void persistWithASnapshotKeepsTheHardStateWhenItHasNoNewOne() throws Exception {
        storage.append(entries(1, 5, 1));
        storage.saveHardState(new HardState(1, "n1", 4));
        storage.persist(snapshot(4, 1), entries(6, 6, 1), null);

        PersistentState state = reloaded();
        assertThat(state.hardState()).isEqualTo(new HardState(1, "n1", 4));
        assertThat(state.entries()).isEqualTo(entries(5, 6, 1));
    }

    @Test
    void persistAppendsEntriesAndSavesTheHardState() throws Exception {
        storage.append(entries(1, 3, 1));
        storage.persist(null, entries(2, 4, 2), new HardState(2, "n1", 1));

        PersistentState state = reloaded();
        List<LogEntry> expected = new ArrayList<>(entries(1, 1, 1));
        expected.addAll(entries(2, 4, 2));
        assertThat(state.entries()).isEqualTo(expected);
        assertThat(state.hardState()).isEqualTo(new HardState(2, "n1", 1));
        assertThat(state.snapshot()).isNull();
    }

    @Test
    void persistRejectsEntriesThatDoNotFitAfterItsSnapshot() throws Exception {
        storage.append(entries(1, 5, 1));
        assertThatThrownBy(() -> storage.persist(snapshot(3, 1), entries(7, 8, 1), null))
                .isInstanceOf(IllegalArgumentException.class);

        PersistentState state = reloaded();
        assertThat(state.snapshot()).isNull();
        assertThat(state.entries()).isEqualTo(entries(1, 5, 1));
    }

    @Test
    void aClosedStorageRefusesWrites() {
        storage.close();
        assertThatThrownBy(() -> storage.append(entries(1, 1, 1))).isInstanceOf(StorageException.class);
    }
}
