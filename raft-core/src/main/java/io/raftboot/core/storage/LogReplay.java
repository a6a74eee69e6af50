package io.raftboot.core.storage;

import io.raftboot.core.log.LogEntry;
import io.raftboot.core.storage.LogRecordCodec.Record;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the valid records of a log file add up to: the position the log starts after, its
 * entries (with their terms and offsets) and the last hard state.
 */
final class LogReplay {

    /** Term of the entry just before the first one (the LOG_START record's prevTerm). */
    long prevTerm;

    EntryPositions positions;
    final List<LogEntry> entries = new ArrayList<>();
    HardState hardState = HardState.INITIAL;
    /** Whether the log is written in marked batches (format version 3). */
    boolean batched;

    private LogReplay() {}

    /**
     * @param records the log's valid records, at least one
     * @throws StorageException if a record has a valid checksum but does not fit (another
     *     program or version wrote it)
     */
    static LogReplay of(List<Record> records, Path file) {
        LogReplay replay = new LogReplay();
        for (int i = 0; i < records.size(); i++) {
            Record r = records.get(i);
            try {
                replay.apply(r, i == 0);
            } catch (IOException | IllegalArgumentException e) {
                throw new StorageException(
                        "log file " + file + " is corrupt at byte offset " + r.offset()
                                + ": the record there has a valid checksum but " + e.getMessage()
                                + ". It was written by"
                                + " another program or version; restore the data directory from a backup",
                        e);
            }
        }
        return replay;
    }

    private void apply(Record r, boolean first) throws IOException {
        boolean logStart = r.type() == LogRecordCodec.LOG_START || r.type() == LogRecordCodec.LOG_START_BATCHED;
        if (first || logStart) {
            if (!first || !logStart) {
                throw new IOException("a log file starts with one LOG_START record and has no other");
            }
            long[] start = LogRecordCodec.decodeLogStart(r);
            positions = new EntryPositions(start[0] + 1);
            prevTerm = start[1];
            batched = r.type() == LogRecordCodec.LOG_START_BATCHED;
        } else if (r.type() == LogRecordCodec.ENTRY) {
            LogEntry e = LogRecordCodec.decodeEntry(r);
            if (e.index() < positions.firstIndex() || e.index() > positions.lastIndex() + 1) {
                throw new IOException("entry " + e + " does not continue the log " + positions.firstIndex() + ".."
                        + positions.lastIndex());
            }
            // An entry at an index the log holds truncates it from there (see FileStorage).
            positions.truncateFrom(e.index());
            entries.subList((int) (e.index() - positions.firstIndex()), entries.size())
                    .clear();
            positions.add(e.term(), r.offset());
            entries.add(e);
        } else if (r.type() == LogRecordCodec.HARD_STATE) {
            hardState = LogRecordCodec.decodeHardState(r);
        } else if (r.type() == LogRecordCodec.BATCH_END && batched) {
            LogRecordCodec.decodeBatchEnd(r); // checked by LogScanner; nothing to replay
        } else {
            throw new IOException("record type " + r.type() + " does not belong in a log file");
        }
    }
}
