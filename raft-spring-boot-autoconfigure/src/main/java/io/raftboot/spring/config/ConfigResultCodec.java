package io.raftboot.spring.config;

import io.raftboot.core.config.ConfigResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Binary form of a {@link ConfigResult}, the {@code result} of a forwarded write's answer:
 * outcome name, key (or empty), previous version, new version, configVersion.
 */
public final class ConfigResultCodec {

    private ConfigResultCodec() {
    }

    public static byte[] encode(ConfigResult r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(r.outcome().name());
            out.writeUTF(r.key() == null ? "" : r.key());
            out.writeLong(r.previousVersion());
            out.writeLong(r.newVersion());
            out.writeLong(r.configVersion());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException if {@code data} is not an encoded result */
    public static ConfigResult decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            ConfigResult.Outcome outcome = ConfigResult.Outcome.valueOf(in.readUTF());
            String key = in.readUTF();
            long previous = in.readLong();
            long current = in.readLong();
            long configVersion = in.readLong();
            if (in.available() > 0) {
                throw new IllegalArgumentException(in.available() + " trailing bytes");
            }
            return new ConfigResult(outcome, key.isEmpty() ? null : key, previous, current, configVersion);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("malformed forwarded config result (" + data.length + " bytes): " + e, e);
        }
    }
}
