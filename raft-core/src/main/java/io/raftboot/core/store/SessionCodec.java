package io.raftboot.core.store;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Binary form of a {@link SessionCommand} in a log entry. Its first byte is a format of its own,
 * distinct from {@link ConfigCommandCodec}'s (1 and 2), so that a node of an earlier release
 * refuses it (MALFORMED on every such node alike) instead of misreading it. Big-endian:
 * <pre>
 *   open:  byte 16, int maxSessions (1..), int maxResults (1..)
 *   write: byte 17, long sessionId (1..), long sequence (1..), long lowestUnacknowledged (1..sequence),
 *          then the command in {@link ConfigCommandCodec}'s form, to the end
 * </pre>
 */
public final class SessionCodec {

    static final byte OPEN = 16;
    static final byte WRITE = 17;

    private SessionCodec() {}

    /** Whether {@code data} starts like a session command (it may still be malformed). */
    public static boolean isSessionCommand(byte[] data) {
        return data != null && data.length > 0 && (data[0] == OPEN || data[0] == WRITE);
    }

    public static byte[] encode(SessionCommand command) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            if (command instanceof SessionCommand.Open open) {
                out.writeByte(OPEN);
                out.writeInt(open.maxSessions());
                out.writeInt(open.maxResults());
            } else if (command instanceof SessionCommand.Write write) {
                out.writeByte(WRITE);
                out.writeLong(write.sessionId());
                out.writeLong(write.sequence());
                out.writeLong(write.lowestUnacknowledged());
                out.write(ConfigCommandCodec.encode(write.command()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen with an in-memory stream
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException if {@code data} is not exactly one well-formed session command */
    public static SessionCommand decode(byte[] data) {
        if (!isSessionCommand(data)) {
            throw new IllegalArgumentException("not a session command");
        }
        ByteBuffer in = ByteBuffer.wrap(data);
        byte type = in.get();
        if (type == OPEN) {
            int maxSessions = ConfigCommandCodec.readInt(in, "session limit");
            int maxResults = ConfigCommandCodec.readInt(in, "result limit");
            if (in.hasRemaining()) {
                throw new IllegalArgumentException("malformed session command: " + in.remaining() + " trailing bytes");
            }
            return new SessionCommand.Open(maxSessions, maxResults);
        }
        long sessionId = ConfigCommandCodec.readLong(in, "session id");
        long sequence = ConfigCommandCodec.readLong(in, "sequence");
        long lowest = ConfigCommandCodec.readLong(in, "lowest unacknowledged sequence");
        ConfigCommand command = ConfigCommandCodec.decode(Arrays.copyOfRange(data, in.position(), data.length));
        return new SessionCommand.Write(sessionId, sequence, lowest, command);
    }
}
