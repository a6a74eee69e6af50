package io.raftboot.core.storage;

import io.raftboot.core.storage.LogRecordCodec.Record;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads every valid record of a log file written with {@link LogRecordCodec} and tells a torn
 * tail (a crash during an unacknowledged write) from corruption inside the file.
 *
 * <p>A version-3 log is a sequence of batches, each closed by a BATCH_END record with the CRC of
 * the whole batch; a batch is fsynced before {@code persist} returns, so before anything is
 * acknowledged and before the next batch is written. The pages of the last batch may reach the
 * disk in any order before a power loss: a record in its middle can be garbage while a later
 * record, even its BATCH_END, is intact. So everything after the last batch that its BATCH_END
 * closes (CRC and record count) is a torn tail and is cut off, whatever it holds, as long as no
 * complete batch follows it; a complete batch after a bad record means the bad record was fsynced
 * before, so acknowledged data went bad and the node must stop. The first batch (the file as an
 * atomic rename created it) is never torn: if it is incomplete, the file is damaged.
 *
 * <p>A version-1 or -2 log (no batch markers) is read with the old rule: a record that is
 * incomplete or fails its checksum is a torn tail only if no valid record follows it anywhere in
 * the file.
 *
 * <p>What no rule can tell apart: damage inside the last complete batch looks like a torn last
 * batch when nothing follows it, and is cut off like one (only the last {@code persist} is lost,
 * which a crash a moment earlier would also have lost if it had not been acknowledged yet).
 */
final class LogScanner {

    /**
     * @param records the valid records before {@code validEnd}, in file order
     * @param validEnd the byte offset just after the last complete batch (the last valid record
     *     of an unbatched log); the file's torn tail starts here when it is below {@code fileSize}
     * @param batched whether the log is written in marked batches (format version 3)
     */
    record Scan(List<Record> records, long validEnd, long fileSize, boolean batched) {

        boolean hasTornTail() {
            return validEnd < fileSize;
        }
    }

    private LogScanner() {}

    /**
     * @throws StorageException naming the file and byte offset if a bad record has valid records
     *     (of a complete batch, in a batched log) after it, or the first batch of a batched log is
     *     incomplete
     * @throws IOException if the file cannot be read
     */
    static Scan scan(FileChannel channel, Path file) throws IOException {
        long size = channel.size();
        if (size > Integer.MAX_VALUE - 64) {
            throw new StorageException("log file " + file + " is " + size + " bytes, more than this version can read"
                    + " back in one piece; it should have been compacted by snapshots. Check that the application"
                    + " takes snapshots, then restore the directory from a backup");
        }
        byte[] bytes = new byte[(int) size];
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            if (channel.read(buf, buf.position()) < 0) {
                throw new IOException("file " + file + " shrank while being read, at offset " + buf.position());
            }
        }
        Record first = LogRecordCodec.tryRead(bytes, 0, bytes.length, 0);
        if (first != null && first.type() == LogRecordCodec.LOG_START_BATCHED) {
            return scanBatched(bytes, file);
        }
        List<Record> records = new ArrayList<>();
        int pos = 0;
        while (pos < bytes.length) {
            Record r = LogRecordCodec.tryRead(bytes, pos, bytes.length, 0);
            if (r == null) {
                long validAfter = firstValidRecordAfter(bytes, pos);
                if (validAfter >= 0) {
                    throw corrupt(file, pos, "a valid record follows at byte offset " + validAfter);
                }
                break;
            }
            records.add(r);
            pos += r.size();
        }
        return new Scan(records, pos, size, false);
    }

    private static Scan scanBatched(byte[] bytes, Path file) {
        List<Record> records = new ArrayList<>();
        List<Record> batch = new ArrayList<>();
        int batchStart = 0;
        int pos = 0;
        while (pos < bytes.length) {
            Record r = LogRecordCodec.tryRead(bytes, pos, bytes.length, 0);
            if (r == null) {
                break;
            }
            if (r.type() == LogRecordCodec.BATCH_END) {
                if (!LogRecordCodec.closes(decodeOrNull(r), bytes, pos, batch.size())) {
                    break; // a marker of a batch whose bytes are not all there: the torn last batch
                }
                records.addAll(batch);
                records.add(r);
                batch.clear();
                pos += r.size();
                batchStart = pos;
                continue;
            }
            batch.add(r);
            pos += r.size();
        }
        if (batchStart < bytes.length) {
            long bad = pos; // the first byte that does not continue the batch (or the end of the file)
            long complete = firstCompleteBatchAfter(bytes, batchStart);
            if (complete >= 0) {
                throw corrupt(
                        file,
                        bad,
                        "a complete batch (fsynced before it was acknowledged) ends at byte offset " + complete);
            }
            if (batchStart == 0) {
                throw new StorageException("log file " + file + " is damaged within its first batch, at byte offset "
                        + bad + " of " + bytes.length + ": a log file is created whole by an atomic rename, so"
                        + " this is not a torn write, and this node's term and vote are lost. Restore the data"
                        + " directory from a backup, or (only while the rest of the cluster has a working majority)"
                        + " move it away and restart this node empty");
            }
        }
        return new Scan(records, batchStart, bytes.length, true);
    }

    /** The end offset of the first BATCH_END after {@code from} that closes a batch starting at or after {@code from}, or -1. */
    private static long firstCompleteBatchAfter(byte[] bytes, int from) {
        for (int p = from + 1; p < bytes.length; p++) {
            Record r = LogRecordCodec.tryRead(bytes, p, bytes.length, 0);
            if (r == null || r.type() != LogRecordCodec.BATCH_END) {
                continue;
            }
            LogRecordCodec.BatchEnd end = decodeOrNull(r);
            if (end != null
                    && end.start() >= from
                    && end.start() < p
                    && LogRecordCodec.closes(end, bytes, p, countRecords(bytes, (int) end.start(), p))) {
                return p + r.size();
            }
        }
        return -1;
    }

    /** The number of valid records that tile {@code bytes[from..to)} exactly, or -1. */
    private static int countRecords(byte[] bytes, int from, int to) {
        int count = 0;
        int p = from;
        while (p < to) {
            Record r = LogRecordCodec.tryRead(bytes, p, to, 0);
            if (r == null) {
                return -1;
            }
            p += r.size();
            count++;
        }
        return count;
    }

    private static LogRecordCodec.BatchEnd decodeOrNull(Record r) {
        try {
            return LogRecordCodec.decodeBatchEnd(r);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static StorageException corrupt(Path file, long offset, String evidence) {
        return new StorageException("log file " + file + " is corrupt at byte offset " + offset
                + ": the record there is incomplete or fails its CRC32C checksum, but " + evidence
                + ", so this is damage to data that was already acknowledged, not a torn write from a crash."
                + " Do not edit or truncate the file: restore the data directory from a backup, or (only while the"
                + " rest of the cluster has a working majority) move the directory away and restart this node"
                + " empty so it catches up from the leader.");
    }

    private static long firstValidRecordAfter(byte[] bytes, int badOffset) {
        for (int p = badOffset + 1; p < bytes.length; p++) {
            if (LogRecordCodec.tryRead(bytes, p, bytes.length, 0) != null) {
                return p;
            }
        }
        return -1;
    }
}
