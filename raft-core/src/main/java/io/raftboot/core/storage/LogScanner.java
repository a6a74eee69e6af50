package io.raftboot.core.storage;

import io.raftboot.core.storage.LogRecordCodec.Record;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads every valid record of a file written with {@link LogRecordCodec} and tells a torn tail
 * (a crash during an unacknowledged write) from corruption inside the file.
 *
 * <p>A record that is incomplete or fails its checksum is a torn tail only if no valid record
 * follows it anywhere in the file: an interrupted append can only damage the end. A valid record
 * after a bad one means bytes that were acknowledged (fsynced) went bad later; recovering by
 * truncation would silently drop acknowledged entries or a vote, so the node must stop.
 */
final class LogScanner {

    /**
     * @param records the valid records, in file order
     * @param validEnd the byte offset just after the last valid record; the file's torn tail
     *     starts here when it is below {@code fileSize}
     */
    record Scan(List<Record> records, long validEnd, long fileSize) {

        boolean hasTornTail() {
            return validEnd < fileSize;
        }
    }

    private LogScanner() {
    }

    /**
     * @throws StorageException naming the file and byte offset if a bad record has valid records
     *     after it
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
        List<Record> records = new ArrayList<>();
        int pos = 0;
        while (pos < bytes.length) {
            Record r = LogRecordCodec.tryRead(bytes, pos, bytes.length, 0);
            if (r == null) {
                long validAfter = firstValidRecordAfter(bytes, pos);
                if (validAfter >= 0) {
                    throw new StorageException("log file " + file + " is corrupt at byte offset " + pos
                            + ": the record there is incomplete or fails its CRC32C checksum, but a valid record"
                            + " follows at byte offset " + validAfter + ", so this is damage to data that was"
                            + " already acknowledged, not a torn write from a crash. Do not edit or truncate the"
                            + " file: restore the data directory from a backup, or (only while the rest of the"
                            + " cluster has a working majority) move the directory away and restart this node"
                            + " empty so it catches up from the leader.");
                }
                break;
            }
            records.add(r);
            pos += r.size();
        }
        return new Scan(records, pos, size);
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
