package io.raftboot.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftboot.core.node.Membership;
import io.raftboot.core.storage.LogRecordCodec.StoredSnapshot;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The snapshot record carries the whole configuration; a snapshot written before membership changes still reads. */
class SnapshotRecordTest {

    private static StoredSnapshot decode(byte[] record) throws IOException {
        return LogRecordCodec.decodeSnapshotFile(LogRecordCodec.tryRead(record, 0, record.length, 0));
    }

    @Test
    void aSnapshotKeepsJoiningLearnersAndAddresses() throws IOException {
        Membership m = new Membership(Set.of("a", "b", "c"), Set.of("d"), Set.of("d"), Map.of("d", "10.0.0.4:9090"));
        Snapshot s = new Snapshot(7, 2, m, new byte[] {1, 2, 3});

        StoredSnapshot read = decode(LogRecordCodec.snapshot(s, "c1"));

        assertThat(read).isEqualTo(new StoredSnapshot(LogRecordCodec.FORMAT_VERSION, "c1", s));
        assertThat(read.snapshot().membership().joining()).containsExactly("d");
        assertThat(read.snapshot().membership().address("d")).isEqualTo("10.0.0.4:9090");
    }

    @Test
    void aSnapshotOfTheEarlierFormatReadsWithItsVotersAndLearners() throws IOException {
        Snapshot s = new Snapshot(7, 2, new Membership(Set.of("a", "b", "c"), Set.of("l")), new byte[] {4});

        StoredSnapshot read = decode(LogRecordCodec.snapshotV2(s, "c1"));

        assertThat(read).isEqualTo(new StoredSnapshot(LogRecordCodec.FORMAT_VERSION_2, "c1", s));
    }
}
