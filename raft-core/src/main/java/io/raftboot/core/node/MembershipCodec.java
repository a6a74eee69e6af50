package io.raftboot.core.node;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The bytes of a {@link Membership}, as a MEMBERSHIP log entry and a snapshot carry them: a
 * format byte (1), then voters, learners, joining learners (each a count and UTF strings) and the
 * addresses (a count and id/address pairs). Format 2 adds the roles after the addresses (a count,
 * then role, holder and token for each); a configuration without roles is still written in
 * format 1, so a cluster that uses no roles writes what builds before roles read.
 */
public final class MembershipCodec {

    private static final byte FORMAT = 1;
    private static final byte FORMAT_WITH_ROLES = 2;

    private MembershipCodec() {}

    public static byte[] encode(Membership m) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(m.roles().isEmpty() ? FORMAT : FORMAT_WITH_ROLES);
            writeStrings(out, m.voters());
            writeStrings(out, m.learners());
            writeStrings(out, m.joining());
            out.writeInt(m.addresses().size());
            for (Map.Entry<String, String> e : m.addresses().entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            if (!m.roles().isEmpty()) {
                out.writeInt(m.roles().size());
                for (Map.Entry<String, RoleGrant> e : m.roles().entrySet()) {
                    out.writeUTF(e.getKey());
                    out.writeUTF(e.getValue().holder());
                    out.writeLong(e.getValue().token());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException if the bytes are not a membership of a known format */
    public static Membership decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int format = in.readUnsignedByte();
            if (format != FORMAT && format != FORMAT_WITH_ROLES) {
                throw new IllegalArgumentException("unknown membership format " + format);
            }
            Set<String> voters = readStrings(in);
            Set<String> learners = readStrings(in);
            Set<String> joining = readStrings(in);
            int addresses = in.readInt();
            if (addresses < 0 || addresses > 100_000) {
                throw new IllegalArgumentException("implausible address count " + addresses);
            }
            Map<String, String> map = new TreeMap<>();
            for (int i = 0; i < addresses; i++) {
                map.put(in.readUTF(), in.readUTF());
            }
            Map<String, RoleGrant> roles = new TreeMap<>();
            if (format == FORMAT_WITH_ROLES) {
                int count = in.readInt();
                if (count < 0 || count > 100_000) {
                    throw new IllegalArgumentException("implausible role count " + count);
                }
                for (int i = 0; i < count; i++) {
                    roles.put(in.readUTF(), new RoleGrant(in.readUTF(), in.readLong()));
                }
            }
            if (in.available() > 0) {
                throw new IllegalArgumentException(in.available() + " unexpected bytes after a membership");
            }
            return new Membership(voters, learners, joining, map, roles);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated membership: " + e, e);
        }
    }

    private static void writeStrings(DataOutputStream out, Set<String> strings) throws IOException {
        out.writeInt(strings.size());
        for (String s : strings) {
            out.writeUTF(s);
        }
    }

    private static Set<String> readStrings(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 100_000) {
            throw new IllegalArgumentException("implausible member count " + n);
        }
        Set<String> strings = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            strings.add(in.readUTF());
        }
        return strings;
    }
}
