package io.raftboot.core.store;

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
 *   byte   format version (1 or 2)
 *   byte   type: 1 = put, 2 = delete, 3 = compare-and-set (version), 4 = compare-and-set (modIndex)
 *   int    key length n (1..), then n bytes of UTF-8
 *   put:   int value length m (0..), then m bytes
 *   cas:   long expected version or modIndex (0..), byte 0 (delete) or 1 (value follows), [int m, m bytes]
 *   format 2 only, put and cas: int maxKeys (1..)
 * </pre>
 * and nothing after. Format 2 is written only for a put or compare-and-set that carries a key
 * limit; everything else is written in format 1, and a format-1 put or compare-and-set (all that
 * earlier releases wrote) decodes with {@link ConfigCommand#UNLIMITED} keys, so old logs replay
 * as they were applied. {@link #decode(byte[])} rejects anything else with an
 * {@link IllegalArgumentException}, and never allocates more than the input's own size, whatever
 * a length field claims. The format version lets a later release add commands: a node must
 * refuse what it does not understand rather than guess.
 */
public final class ConfigCommandCodec {

    /** Format of commands without a key limit (and of every command of earlier releases). */
    public static final byte FORMAT_VERSION = 1;
    /** Format of a put or compare-and-set carrying a key limit: format 1 plus a trailing {@code int maxKeys}. */
    public static final byte FORMAT_VERSION_WITH_KEY_LIMIT = 2;

    private static final byte PUT = 1;
    private static final byte DELETE = 2;
    private static final byte CAS = 3;
    private static final byte CAS_MOD_INDEX = 4;

    private ConfigCommandCodec() {}

    public static byte[] encode(ConfigCommand command) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int maxKeys = maxKeys(command);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(maxKeys == ConfigCommand.UNLIMITED ? FORMAT_VERSION : FORMAT_VERSION_WITH_KEY_LIMIT);
            if (command instanceof ConfigCommand.Put put) {
                out.writeByte(PUT);
                writeBytes(out, utf8(put.key()));
                writeBytes(out, put.value());
            } else if (command instanceof ConfigCommand.Delete delete) {
                out.writeByte(DELETE);
                writeBytes(out, utf8(delete.key()));
            } else if (command instanceof ConfigCommand.CompareAndSet cas) {
                out.writeByte(cas.compared() == ConfigCommand.CompareAndSet.Compared.VERSION ? CAS : CAS_MOD_INDEX);
                writeBytes(out, utf8(cas.key()));
                out.writeLong(cas.expected());
                byte[] value = cas.newValue();
                out.writeByte(value == null ? 0 : 1);
                if (value != null) {
                    writeBytes(out, value);
                }
            } else {
                throw new IllegalArgumentException("unknown config command: " + command);
            }
            if (maxKeys != ConfigCommand.UNLIMITED) {
                out.writeInt(maxKeys);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen with an in-memory stream
        }
        return bytes.toByteArray();
    }

    private static int maxKeys(ConfigCommand command) {
        if (command instanceof ConfigCommand.Put put) {
            return put.maxKeys();
        }
        return command instanceof ConfigCommand.CompareAndSet cas ? cas.maxKeys() : ConfigCommand.UNLIMITED;
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
        if (format != FORMAT_VERSION && format != FORMAT_VERSION_WITH_KEY_LIMIT) {
            throw new IllegalArgumentException("unsupported config command format version " + format
                    + " (this node understands " + FORMAT_VERSION + " and " + FORMAT_VERSION_WITH_KEY_LIMIT
                    + "); is a newer release writing to this cluster?");
        }
        boolean withKeyLimit = format == FORMAT_VERSION_WITH_KEY_LIMIT;
        byte type = readByte(in, "command type");
        String key = readKey(in);
        ConfigCommand command = switch (type) {
            case PUT -> {
                byte[] value = readBytes(in, "value");
                yield new ConfigCommand.Put(key, value, withKeyLimit ? readMaxKeys(in) : ConfigCommand.UNLIMITED);
            }
            case DELETE -> {
                if (withKeyLimit) {
                    throw new IllegalArgumentException("malformed config command: a delete has no key limit (format "
                            + FORMAT_VERSION_WITH_KEY_LIMIT + ")");
                }
                yield new ConfigCommand.Delete(key);
            }
            case CAS, CAS_MOD_INDEX -> {
                long expected = readLong(in, "expected version or modIndex");
                byte[] value = readOptionalValue(in);
                yield new ConfigCommand.CompareAndSet(
                        key,
                        type == CAS
                                ? ConfigCommand.CompareAndSet.Compared.VERSION
                                : ConfigCommand.CompareAndSet.Compared.MOD_INDEX,
                        expected,
                        value,
                        withKeyLimit ? readMaxKeys(in) : ConfigCommand.UNLIMITED);
            }
            default -> throw new IllegalArgumentException("malformed config command: unknown command type " + type);
        };
        if (in.hasRemaining()) {
            throw new IllegalArgumentException(
                    "malformed config command: " + in.remaining() + " unexpected trailing bytes");
        }
        return command;
    }

    private static byte[] readOptionalValue(ByteBuffer in) {
        byte hasValue = readByte(in, "value flag");
        if (hasValue != 0 && hasValue != 1) {
            throw new IllegalArgumentException("malformed config command: value flag must be 0 or 1, got " + hasValue);
        }
        return hasValue == 1 ? readBytes(in, "value") : null;
    }

    private static int readMaxKeys(ByteBuffer in) {
        int maxKeys = readInt(in, "key limit");
        if (maxKeys < 1) {
            // Format 2 is written only with a limit; 0 (no limit) is format 1.
            throw new IllegalArgumentException("malformed config command: key limit must be >= 1, got " + maxKeys);
        }
        return maxKeys;
    }

    /** The key's UTF-8 bytes; rejects a string that is not valid Unicode (an unpaired surrogate). */
    static byte[] utf8(String s) {
        try {
            ByteBuffer b = StandardCharsets.UTF_8
                    .newEncoder()
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
            return StandardCharsets.UTF_8
                    .newDecoder()
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
            throw new IllegalArgumentException("malformed config data: " + what + " length " + length + " but only "
                    + in.remaining() + " bytes left");
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
            throw new IllegalArgumentException(
                    "malformed config data: truncated at byte " + in.position() + " while reading the " + what);
        }
    }
}
