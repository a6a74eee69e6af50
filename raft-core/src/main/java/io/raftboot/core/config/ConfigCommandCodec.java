package io.raftboot.core.config;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Binary form of a {@link ConfigCommand}, the payload of a Raft log entry. Big-endian:
 * <pre>
 *   byte   format version (1)
 *   byte   type: 1 = put, 2 = delete, 3 = compare-and-set
 *   int    key length n (1..), then n bytes of UTF-8
 *   put:   int value length m (0..), then m bytes
 *   cas:   long expected version (0..), byte 0 (delete) or 1 (value follows), [int m, m bytes]
 * </pre>
 * and nothing after. {@link #decode(byte[])} rejects anything else with an
 * {@link IllegalArgumentException}, and never allocates more than the input's own size, whatever
 * a length field claims. The format version lets a later release add commands: a node must
 * refuse what it does not understand rather than guess.
 */
public final class ConfigCommandCodec {

    public static final byte FORMAT_VERSION = 1;

    private static final byte PUT = 1;
    private static final byte DELETE = 2;
    private static final byte CAS = 3;

    private ConfigCommandCodec() {
    }

    public static byte[] encode(ConfigCommand command) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_VERSION);
            if (command instanceof ConfigCommand.Put put) {
                out.writeByte(PUT);
                writeBytes(out, utf8(put.key()));
                writeBytes(out, put.value());
            } else if (command instanceof ConfigCommand.Delete delete) {
                out.writeByte(DELETE);
                writeBytes(out, utf8(delete.key()));
            } else if (command instanceof ConfigCommand.CompareAndSet cas) {
                out.writeByte(CAS);
                writeBytes(out, utf8(cas.key()));
                out.writeLong(cas.expectedVersion());
                byte[] value = cas.newValue();
                out.writeByte(value == null ? 0 : 1);
                if (value != null) {
                    writeBytes(out, value);
                }
            } else {
                throw new IllegalArgumentException("unknown config command: " + command);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen with an in-memory stream
        }
        return bytes.toByteArray();
    }

    /**
     * Parses a command.
     *
     * @throws IllegalArgumentException if {@code data} is not exactly one well-formed command of a
     *     known format version
     */
    public static ConfigCommand decode(byte[] data) {
        if (data == null) {
            throw new IllegalArgumentException("config command is null");
        }
        ByteBuffer in = ByteBuffer.wrap(data);
        byte format = readByte(in, "format version");
        if (format != FORMAT_VERSION) {
            throw new IllegalArgumentException("unsupported config command format version " + format
                    + " (this node understands " + FORMAT_VERSION + "); is a newer release writing to this cluster?");
        }
        byte type = readByte(in, "command type");
        String key = readKey(in);
        ConfigCommand command = switch (type) {
            case PUT -> new ConfigCommand.Put(key, readBytes(in, "value"));
            case DELETE -> new ConfigCommand.Delete(key);
            case CAS -> {
                long expected = readLong(in, "expected version");
                byte hasValue = readByte(in, "value flag");
                if (hasValue != 0 && hasValue != 1) {
                    throw new IllegalArgumentException("malformed config command: value flag must be 0 or 1, got " + hasValue);
                }
                yield new ConfigCommand.CompareAndSet(key, expected, hasValue == 1 ? readBytes(in, "value") : null);
            }
            default -> throw new IllegalArgumentException("malformed config command: unknown command type " + type);
        };
        if (in.hasRemaining()) {
            throw new IllegalArgumentException("malformed config command: " + in.remaining() + " unexpected trailing bytes");
        }
        return command;
    }

    /** The key's UTF-8 bytes; rejects a string that is not valid Unicode (an unpaired surrogate). */
    static byte[] utf8(String s) {
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("config key is not valid Unicode (unpaired surrogate?): '" + s + "'", e);
        }
    }

    static String fromUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("malformed config data: a key is not valid UTF-8", e);
        }
    }

    // Shared with the snapshot format of ConfigStore.

    static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static String readKey(ByteBuffer in) {
        byte[] key = readBytes(in, "key");
        if (key.length == 0) {
            throw new IllegalArgumentException("malformed config data: empty key");
        }
        return fromUtf8(key);
    }

    static byte[] readBytes(ByteBuffer in, String what) {
        int length = readInt(in, what + " length");
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("malformed config data: " + what + " length " + length
                    + " but only " + in.remaining() + " bytes left");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    static byte readByte(ByteBuffer in, String what) {
        need(in, 1, what);
        return in.get();
    }

    static int readInt(ByteBuffer in, String what) {
        need(in, 4, what);
        return in.getInt();
    }

    static long readLong(ByteBuffer in, String what) {
        need(in, 8, what);
        return in.getLong();
    }

    private static void need(ByteBuffer in, int n, String what) {
        if (in.remaining() < n) {
            throw new IllegalArgumentException("malformed config data: truncated at byte " + in.position()
                    + " while reading the " + what);
        }
    }
}
