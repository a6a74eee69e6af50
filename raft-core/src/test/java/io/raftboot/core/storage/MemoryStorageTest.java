package io.raftboot.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryStorageTest extends StorageContractTest {

    @Override
    protected Storage openEmpty() {
        MemoryStorage memory = new MemoryStorage();
        memory.load();
        return memory;
    }

    @Override
    protected PersistentState reloaded() {
        return ((MemoryStorage) storage).current();
    }

    @Test
    void startsFromAGivenStateAndReportsItsBounds() {
        MemoryStorage memory =
                new MemoryStorage(new PersistentState(new HardState(2, "n1", 6), snapshot(5, 2), entries(6, 8, 2)));

        assertThat(memory.load().entries()).isEqualTo(entries(6, 8, 2));
        assertThat(memory.firstIndex()).isEqualTo(6);
        assertThat(memory.lastIndex()).isEqualTo(8);
        assertThat(memory.hardState()).isEqualTo(new HardState(2, "n1", 6));
        assertThat(memory.snapshot()).isEqualTo(snapshot(5, 2));
    }

    @Test
    void refusesAGivenStateWhoseEntriesDoNotFollowTheSnapshot() {
        assertThatThrownBy(() ->
                        new MemoryStorage(new PersistentState(HardState.INITIAL, snapshot(5, 2), entries(7, 8, 2))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void currentIsACopyThatLaterWritesDoNotChange() {
        MemoryStorage memory = (MemoryStorage) storage;
        memory.append(entries(1, 2, 1));
        PersistentState before = memory.current();
        memory.append(entries(3, 3, 1));
        assertThat(before.entries()).isEqualTo(entries(1, 2, 1));
        assertThat(memory.lastIndex()).isEqualTo(3);
        assertThat(List.copyOf(memory.current().entries())).hasSize(3);
    }
}
