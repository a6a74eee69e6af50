package io.raftboot.testsupport.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text file of {@link Operation}s, so that processes can record their histories and a test
 * can merge and check them. One operation per line, fields separated by one space:
 *
 * <pre>
 * id client key kind value expectedVersion invokeNanos completeNanos outcome applied resultValue resultVersion
 * 7 =c2 =color CAS =blue 3 1234 5678 OK true ~ 4
 * 8 =c1 =color PUT =dark+red 0 1300 ~ UNKNOWN ~ ~ ~
 * </pre>
 *
 * A string is {@code ~} for null, otherwise {@code =} followed by its percent-encoding
 * ({@link URLEncoder}, UTF-8), so spaces, newlines and any Unicode survive. {@code completeNanos}
 * and the result's three fields are {@code ~} for an unknown outcome. Blank lines and lines starting
 * with {@code #} are ignored. A process can append {@link #format} lines as it goes and the files of
 * several processes can be concatenated.
 */
public final class HistoryFile {

    private static final String NULL = "~";
    private static final String HEADER = "# raft-test-support history v1: id client key kind value expectedVersion"
            + " invokeNanos completeNanos outcome applied resultValue resultVersion";
    private static final int FIELDS = 12;

    private HistoryFile() {}

    public static void write(Path file, List<Operation> history) {
        List<String> lines = new ArrayList<>(history.size() + 1);
        lines.add(HEADER);
        for (Operation op : history) {
            lines.add(format(op));
        }
        try {
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write history file " + file, e);
        }
    }

    /** @throws IllegalArgumentException naming the file and line of a malformed line */
    public static List<Operation> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read history file " + file, e);
        }
        List<Operation> history = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                history.add(parse(line));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return history;
    }

    /** One operation as one line (without the line break). */
    public static String format(Operation op) {
        boolean known = !op.isUnknown();
        Result r = op.result();
        return String.join(
                " ",
                Integer.toString(op.id()),
                string(op.client()),
                string(op.key()),
                op.kind().name(),
                string(op.value()),
                Long.toString(op.expectedVersion()),
                Long.toString(op.invokeNanos()),
                known ? Long.toString(op.completeNanos()) : NULL,
                op.outcome().name(),
                known ? Boolean.toString(r.applied()) : NULL,
                known ? string(r.value()) : NULL,
                known ? Long.toString(r.version()) : NULL);
    }

    /** The inverse of {@link #format}. */
    public static Operation parse(String line) {
        String[] f = line.strip().split(" ");
        if (f.length != FIELDS) {
            throw new IllegalArgumentException("expected " + FIELDS + " fields, found " + f.length + " in: " + line);
        }
        Outcome outcome = Outcome.valueOf(f[8]);
        boolean known = outcome == Outcome.OK;
        Result result = known ? new Result(parseBoolean(f[9]), unstring(f[10]), Long.parseLong(f[11])) : null;
        return new Operation(
                Integer.parseInt(f[0]),
                unstring(f[1]),
                unstring(f[2]),
                OpKind.valueOf(f[3]),
                unstring(f[4]),
                Long.parseLong(f[5]),
                Long.parseLong(f[6]),
                known ? Long.parseLong(f[7]) : Operation.NEVER,
                outcome,
                result);
    }

    private static boolean parseBoolean(String s) {
        if (!s.equals("true") && !s.equals("false")) {
            throw new IllegalArgumentException("expected true or false, found '" + s + "'");
        }
        return s.equals("true");
    }

    private static String string(String s) {
        return s == null ? NULL : "=" + URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String unstring(String field) {
        if (field.equals(NULL)) {
            return null;
        }
        if (!field.startsWith("=")) {
            throw new IllegalArgumentException("expected ~ or =<percent-encoded string>, found '" + field + "'");
        }
        return URLDecoder.decode(field.substring(1), StandardCharsets.UTF_8);
    }
}
