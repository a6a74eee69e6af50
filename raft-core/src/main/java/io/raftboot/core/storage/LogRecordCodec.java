package io.raftboot.core.storage;

import io.raftboot.core.log.EntryType;
import io.raftboot.core.log.LogEntry;
import io.raftboot.core.node.Membership;
import io.raftboot.core.node.MembershipCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * The on-disk record format of {@link FileStorage}, the same in every file it writes:
 * <pre>
 *   [length int][crc int][type byte][payload]      big-endian (DataOutputStream)
 *   length = 1 + payload bytes (the type and payload; the 8 header bytes are not counted)
 *   crc    = CRC32C of the type byte and the payload
 * </pre>
 * Payloads:
 * <pre>
 *   LOG_START   prevIndex long, prevTerm long           first record of every log file: the log
 *                                                        holds the entries after prevIndex
 *   ENTRY       index long, term long, type ordinal byte, data length int, data
 *   HARD_STATE  term long, has vote boolean, [votedFor UTF], commit long
 *   SNAPSHOT_V3 has cluster id boolean, [cluster id UTF], lastIndex long, lastTerm long,
 *               membership length int, membership (MembershipCodec: voters, learners, joining,
 *               addresses), data length int, data                      (written since membership changes)
 *   SNAPSHOT_V2 has cluster id boolean, [cluster id UTF], then the SNAPSHOT payload  (still read)
 *   META        format version int, has node id boolean, [node id UTF],
 *               has cluster id boolean, [cluster id UTF]      (versions 2 and 3)
 *   LOG_START_BATCHED  as LOG_START; first record of a log written in batches (version 3)
 *   BATCH_END   batch start offset long, record count int, batch crc int
 *               closes the batch of records from the start offset up to this record: one
 *               persist() call (or a whole rewritten log); batch crc = CRC32C of those bytes
 * </pre>
 * Version 3 differs from version 2 only in its log file: it starts with LOG_START_BATCHED and
 * every batch ends with a BATCH_END record, so that recovery can tell a torn last batch (written
 * but not yet fsynced when the power went; its pages may reach the disk in any order, so a record
 * in its middle can be garbage while a later one is intact) from damage to acknowledged batches
 * ({@link LogScanner}). A version-2 log (LOG_START, no markers) is still read, with the rule that
 * only the file's end may be torn, and is rewritten in version 3 when it is opened.
 * Version 1 (the first release) differs only in its single-record files: its META payload ends
 * after the node id, and its snapshot file holds a SNAPSHOT record, whose payload is
 * <pre>
 *   SNAPSHOT    lastIndex long, lastTerm long, voters (count int, UTF each),
 *               learners (count int, UTF each), data length int, data
 * </pre>
 * Both are still read ({@link FileStorage} explains how a version-1 directory is upgraded); only
 * version 3 is written. The log file's records are the same in versions 1 and 2.
 */
final class LogRecordCodec {

    /** The version this code writes. */
    static final int FORMAT_VERSION = 3;
    /** The cluster id release: no batch markers in the log. Still read. */
    static final int FORMAT_VERSION_2 = 2;
    /** The first release's version: no cluster id. Still read. */
    static final int FORMAT_VERSION_1 = 1;
    /** Bytes before the type byte: length and crc. */
    static final int HEADER_BYTES = 8;

    static final byte LOG_START = 1;
    static final byte ENTRY = 2;
    static final byte HARD_STATE = 3;
    static final byte SNAPSHOT = 4;
    static final byte META = 5;
    /** A snapshot with the cluster id it belongs to (format version 2). */
    static final byte SNAPSHOT_V2 = 6;
    /** First record of a log of marked batches (format version 3). */
    static final byte LOG_START_BATCHED = 7;
    /** The end of a batch (format version 3). */
    static final byte BATCH_END = 8;
    /** A snapshot whose membership has joining learners and addresses (format version 3, since membership changes). */
    static final byte SNAPSHOT_V3 = 9;

    /** A BATCH_END record's content. */
    record BatchEnd(long start, int records, int crc) {}

    /** A record with a valid checksum, as read back from {@code offset} of its file. */
    record Record(long offset, byte type, byte[] payload) {

        /** Bytes the record takes in its file, header included. */
        int size() {
            return HEADER_BYTES + 1 + payload.length;
        }
    }

    /**
     * The META record's content. For a version this code does not know only the version is read
     * (the ids are {@code null}). A version-1 file has no cluster id.
     */
    record Meta(int formatVersion, String nodeId, String clusterId) {}

    /**
     * A snapshot file's content.
     *
     * @param formatVersion 1 for a SNAPSHOT record, 2 for a SNAPSHOT_V2 record (also written by version 3)
     * @param clusterId the cluster it belongs to; always {@code null} in version 1, and in version 2
     *     if the directory had none recorded when it was written
     */
    record StoredSnapshot(int formatVersion, String clusterId, Snapshot snapshot) {}

    private LogRecordCodec() {}

    static byte[] frame(byte type, byte[] payload) {
        ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES + 1 + payload.length);
        buf.putInt(1 + payload.length)
                .putInt(crc(type, payload, 0, payload.length))
                .put(type)
                .put(payload);
        return buf.array();
    }

    static int crc(byte type, byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(type);
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    /**
     * Reads the record framed at {@code pos} of {@code bytes}, or returns {@code null} if there is
     * none: fewer bytes left than the header or the length claims, a length below 1, or a
     * checksum mismatch. {@code fileOffset} is where {@code bytes[0]} sits in the file.
     */
    static Record tryRead(byte[] bytes, int pos, int limit, long fileOffset) {
        if (limit - pos < HEADER_BYTES + 1) {
            return null;
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes, pos, limit - pos);
        int length = buf.getInt();
        int crc = buf.getInt();
        if (length < 1 || length > limit - pos - HEADER_BYTES) {
            return null;
        }
        byte type = bytes[pos + HEADER_BYTES];
        int payloadStart = pos + HEADER_BYTES + 1;
        if (crc(type, bytes, payloadStart, length - 1) != crc) {
            return null;
        }
        byte[] payload = new byte[length - 1];
        System.arraycopy(bytes, payloadStart, payload, 0, payload.length);
        return new Record(fileOffset + pos, type, payload);
    }

    // ---- payload encoders ----

    /** The first record of a version-3 log. */
    static byte[] logStart(long prevIndex, long prevTerm) {
        return frame(LOG_START_BATCHED, write(out -> {
            out.writeLong(prevIndex);
            out.writeLong(prevTerm);
        }));
    }

    /** The first record of a version-1 or -2 log, for tests of reading one. */
    static byte[] logStartUnbatched(long prevIndex, long prevTerm) {
        return frame(LOG_START, write(out -> {
            out.writeLong(prevIndex);
            out.writeLong(prevTerm);
        }));
    }

    /** Closes the batch of {@code records} records in {@code batch[0..length)}, starting at file offset {@code start}. */
    static byte[] batchEnd(long start, int records, byte[] batch, int length) {
        CRC32C crc = new CRC32C();
        crc.update(batch, 0, length);
        return batchEnd(start, records, (int) crc.getValue());
    }

    /** Closes a batch of {@code records} records starting at file offset {@code start} whose bytes have CRC32C {@code batchCrc}. */
    static byte[] batchEnd(long start, int records, int batchCrc) {
        return frame(BATCH_END, write(out -> {
            out.writeLong(start);
            out.writeInt(records);
            out.writeInt(batchCrc);
        }));
    }

    static BatchEnd decodeBatchEnd(Record r) throws IOException {
        DataInputStream in = reader(r, BATCH_END);
        BatchEnd end = new BatchEnd(in.readLong(), in.readInt(), in.readInt());
        requireConsumed(in);
        return end;
    }

    /** Whether {@code end} closes exactly the records in {@code bytes[end.start()..markerOffset)}. */
    static boolean closes(BatchEnd end, byte[] bytes, long markerOffset, int recordCount) {
        if (end.start() < 0 || end.start() > markerOffset || end.records() != recordCount) {
            return false;
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, (int) end.start(), (int) (markerOffset - end.start()));
        return (int) crc.getValue() == end.crc();
    }

    static byte[] entry(LogEntry e) {
        return frame(ENTRY, write(out -> {
            out.writeLong(e.index());
            out.writeLong(e.term());
            out.writeByte(e.type().ordinal());
            out.writeInt(e.data().length);
            out.write(e.data());
        }));
    }

    static byte[] hardState(HardState hs) {
        return frame(HARD_STATE, write(out -> {
            out.writeLong(hs.term());
            writeOptionalString(out, hs.votedFor());
            out.writeLong(hs.commit());
        }));
    }

    /** A SNAPSHOT_V3 record. */
    static byte[] snapshot(Snapshot s, String clusterId) {
        return frame(SNAPSHOT_V3, write(out -> {
            writeOptionalString(out, clusterId);
            out.writeLong(s.lastIndex());
            out.writeLong(s.lastTerm());
            byte[] membership = MembershipCodec.encode(s.membership());
            out.writeInt(membership.length);
            out.write(membership);
            out.writeInt(s.data().length);
            out.write(s.data());
        }));
    }

    /** A SNAPSHOT_V2 record, as versions before membership changes wrote it: for tests of reading one. */
    static byte[] snapshotV2(Snapshot s, String clusterId) {
        return frame(SNAPSHOT_V2, write(out -> {
            writeOptionalString(out, clusterId);
            writeSnapshotFields(out, s);
        }));
    }

    private static void writeSnapshotFields(DataOutputStream out, Snapshot s) throws IOException {
        out.writeLong(s.lastIndex());
        out.writeLong(s.lastTerm());
        writeStrings(out, s.membership().voters());
        writeStrings(out, s.membership().learners());
        out.writeInt(s.data().length);
        out.write(s.data());
    }

    /** A META record of format version 3 (the same payload as version 2). */
    static byte[] meta(String nodeId, String clusterId) {
        return frame(META, write(out -> {
            out.writeInt(FORMAT_VERSION);
            writeOptionalString(out, nodeId);
            writeOptionalString(out, clusterId);
        }));
    }

    // ---- payload decoders: IOException (or IllegalArgumentException) means a malformed payload ----

    /** Returns {prevIndex, prevTerm} of a LOG_START or LOG_START_BATCHED record. */
    static long[] decodeLogStart(Record r) throws IOException {
        DataInputStream in = reader(r, r.type() == LOG_START_BATCHED ? LOG_START_BATCHED : LOG_START);
        long[] start = {in.readLong(), in.readLong()};
        requireConsumed(in);
        return start;
    }

    static LogEntry decodeEntry(Record r) throws IOException {
        DataInputStream in = reader(r, ENTRY);
        long index = in.readLong();
        long term = in.readLong();
        int ordinal = in.readUnsignedByte();
        EntryType[] types = EntryType.values();
        if (ordinal >= types.length) {
            throw new IOException("unknown entry type ordinal " + ordinal);
        }
        byte[] data = readBytes(in);
        requireConsumed(in);
        return new LogEntry(index, term, types[ordinal], data);
    }

    static HardState decodeHardState(Record r) throws IOException {
        DataInputStream in = reader(r, HARD_STATE);
        HardState hs = new HardState(in.readLong(), readOptionalString(in), in.readLong());
        requireConsumed(in);
        return hs;
    }

    /** Reads a snapshot file's record: SNAPSHOT (version 1) or SNAPSHOT_V2. */
    static StoredSnapshot decodeSnapshotFile(Record r) throws IOException {
        if (r.type() == SNAPSHOT) {
            return new StoredSnapshot(FORMAT_VERSION_1, null, decodeSnapshotFields(reader(r, SNAPSHOT)));
        }
        if (r.type() == SNAPSHOT_V3) {
            DataInputStream in = reader(r, SNAPSHOT_V3);
            String clusterId = readOptionalString(in);
            long lastIndex = in.readLong();
            long lastTerm = in.readLong();
            Membership membership;
            try {
                membership = MembershipCodec.decode(readBytes(in));
            } catch (IllegalArgumentException e) {
                throw new IOException("malformed membership: " + e.getMessage(), e);
            }
            Snapshot s = new Snapshot(lastIndex, lastTerm, membership, readBytes(in));
            requireConsumed(in);
            return new StoredSnapshot(FORMAT_VERSION, clusterId, s);
        }
        DataInputStream in = reader(r, SNAPSHOT_V2);
        String clusterId = readOptionalString(in);
        return new StoredSnapshot(FORMAT_VERSION_2, clusterId, decodeSnapshotFields(in));
    }

    private static Snapshot decodeSnapshotFields(DataInputStream in) throws IOException {
        long lastIndex = in.readLong();
        long lastTerm = in.readLong();
        Membership membership = new Membership(readStrings(in), readStrings(in));
        Snapshot s = new Snapshot(lastIndex, lastTerm, membership, readBytes(in));
        requireConsumed(in);
        return s;
    }

    static Meta decodeMeta(Record r) throws IOException {
        DataInputStream in = reader(r, META);
        int version = in.readInt();
        if (version != FORMAT_VERSION_1 && version != FORMAT_VERSION_2 && version != FORMAT_VERSION) {
            return new Meta(version, null, null); // refused by the caller, naming the version
        }
        String nodeId = readOptionalString(in);
        String clusterId = version == FORMAT_VERSION_1 ? null : readOptionalString(in);
        requireConsumed(in);
        return new Meta(version, nodeId, clusterId);
    }

    // ---- helpers ----

    private interface Writer {
        void writeTo(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing to memory", e);
        }
        return bytes.toByteArray();
    }

    private static DataInputStream reader(Record r, byte expectedType) throws IOException {
        if (r.type() != expectedType) {
            throw new IOException("expected a record of type " + expectedType + " but found type " + r.type());
        }
        return new DataInputStream(new ByteArrayInputStream(r.payload()));
    }

    private static void requireConsumed(DataInputStream in) throws IOException {
        if (in.available() != 0) {
            throw new IOException(in.available() + " unexpected bytes after the payload");
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("data length " + length + " does not fit the record");
        }
        return in.readNBytes(length);
    }

    private static void writeOptionalString(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readOptionalString(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void writeStrings(DataOutputStream out, Set<String> strings) throws IOException {
        out.writeInt(strings.size());
        for (String s : strings.stream().sorted().toList()) {
            out.writeUTF(s);
        }
    }

    private static Set<String> readStrings(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > in.available()) {
            throw new IOException("string count " + count + " does not fit the record");
        }
        Set<String> strings = new HashSet<>();
        for (int i = 0; i < count; i++) {
            strings.add(in.readUTF());
        }
        return strings;
    }
}
