package io.raftboot.core.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Binary form of a {@link ConfigResult}: in a forwarded write's answer and in the client sessions
 * of a snapshot. Outcome name, key (or empty), previous version, new version, configVersion,
 * modIndex. A result without the trailing modIndex (written by an earlier release) decodes with
 * modIndex 0.
 */
public final class ConfigResultCodec {

    private ConfigResultCodec() {}

    public static byte[] encode(ConfigResult r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(out, r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static void write(DataOutputStream out, ConfigResult r) throws IOException {
        out.writeUTF(r.outcome().name());
        out.writeUTF(r.key() == null ? "" : r.key());
        out.writeLong(r.previousVersion());
        out.writeLong(r.newVersion());
        out.writeLong(r.configVersion());
        out.writeLong(r.modIndex());
    }

    /** @throws IllegalArgumentException if {@code data} is not an encoded result */
    public static ConfigResult decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            ConfigResult.Outcome outcome = ConfigResult.Outcome.valueOf(in.readUTF());
            String key = in.readUTF();
            long previous = in.readLong();
            long current = in.readLong();
            long configVersion = in.readLong();
            long modIndex = in.available() > 0 ? in.readLong() : 0;
            if (in.available() > 0) {
                throw new IllegalArgumentException(in.available() + " trailing bytes");
            }
            return new ConfigResult(outcome, key.isEmpty() ? null : key, previous, current, configVersion, modIndex);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("malformed config result (" + data.length + " bytes): " + e, e);
        }
    }
}
