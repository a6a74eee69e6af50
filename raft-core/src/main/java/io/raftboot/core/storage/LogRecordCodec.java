package io.raftboot.core.storage;

import io.raftboot.core.log.EntryType;
import io.raftboot.core.log.LogEntry;
import io.raftboot.core.node.Membership;
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
 *   SNAPSHOT    lastIndex long, lastTerm long, voters (count int, UTF each),
 *               learners (count int, UTF each), data length int, data
 *   META        format version int, has node id boolean, [node id UTF]
 * </pre>
 */
final class LogRecordCodec {

    static final int FORMAT_VERSION = 1;
    /** Bytes before the type byte: length and crc. */
    static final int HEADER_BYTES = 8;

    static final byte LOG_START = 1;
    static final byte ENTRY = 2;
    static final byte HARD_STATE = 3;
    static final byte SNAPSHOT = 4;
    static final byte META = 5;

    /** A record with a valid checksum, as read back from {@code offset} of its file. */
    record Record(long offset, byte type, byte[] payload) {

        /** Bytes the record takes in its file, header included. */
        int size() {
            return HEADER_BYTES + 1 + payload.length;
        }
    }

    /** The META record's content. */
    record Meta(int formatVersion, String nodeId) {
    }

    private LogRecordCodec() {
    }

    static byte[] frame(byte type, byte[] payload) {
        ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES + 1 + payload.length);
        buf.putInt(1 + payload.length).putInt(crc(type, payload, 0, payload.length)).put(type).put(payload);
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

    static byte[] logStart(long prevIndex, long prevTerm) {
        return frame(LOG_START, write(out -> {
            out.writeLong(prevIndex);
            out.writeLong(prevTerm);
        }));
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

    static byte[] snapshot(Snapshot s) {
        return frame(SNAPSHOT, write(out -> {
            out.writeLong(s.lastIndex());
            out.writeLong(s.lastTerm());
            writeStrings(out, s.membership().voters());
            writeStrings(out, s.membership().learners());
            out.writeInt(s.data().length);
            out.write(s.data());
        }));
    }

    static byte[] meta(String nodeId) {
        return frame(META, write(out -> {
            out.writeInt(FORMAT_VERSION);
            writeOptionalString(out, nodeId);
        }));
    }

    // ---- payload decoders: IOException (or IllegalArgumentException) means a malformed payload ----

    /** Returns {prevIndex, prevTerm}. */
    static long[] decodeLogStart(Record r) throws IOException {
        DataInputStream in = reader(r, LOG_START);
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

    static Snapshot decodeSnapshot(Record r) throws IOException {
        DataInputStream in = reader(r, SNAPSHOT);
        long lastIndex = in.readLong();
        long lastTerm = in.readLong();
        Membership membership = new Membership(readStrings(in), readStrings(in));
        Snapshot s = new Snapshot(lastIndex, lastTerm, membership, readBytes(in));
        requireConsumed(in);
        return s;
    }

    static Meta decodeMeta(Record r) throws IOException {
        DataInputStream in = reader(r, META);
        Meta meta = new Meta(in.readInt(), readOptionalString(in));
        requireConsumed(in);
        return meta;
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
