package io.raftboot.testsupport.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryFileTest {

    @TempDir
    Path dir;

    @Test
    void everyKindOfOperationSurvivesAWriteAndARead() {
        List<Operation> history = List.of(
                Operation.put(1, "client one", "key with spaces", "line 1\nline 2 ~ = % +", 10, 20, 1),
                Operation.put(2, "c2", "ключ/ü", "", 11, 21, 2),
                Operation.delete(3, "c3", "k", 12, 22, false),
                Operation.cas(4, "c4", "k", 3, null, 13, 23, true, 0),
                Operation.cas(5, "c4", "k", 0, "~", 14, 24, false, 7),
                Operation.read(6, "c5", "k", 15, 25, null, 0),
                Operation.read(7, "c5", "k", 16, 26, "=", 9),
                Operation.unknownPut(8, "c6", "k", "v", Long.MIN_VALUE + 1),
                Operation.unknownDelete(9, "c6", "k", -5),
                Operation.unknownCas(10, "c6", "k", 2, null, 0),
                Operation.unknownRead(11, "c6", "k", 1));
        Path file = dir.resolve("history.txt");

        HistoryFile.write(file, history);

        assertThat(HistoryFile.read(file)).isEqualTo(history);
    }

    @Test
    void aGeneratedHistoryReadBackGetsTheSameVerdict() {
        List<Operation> history =
                HistoryGenerator.generate(new Random(7), new HistoryGenerator.Shape(300, 4, 3, 0.05, 10));
        Path file = dir.resolve("generated.txt");

        HistoryFile.write(file, history);
        List<Operation> back = HistoryFile.read(file);

        assertThat(back).isEqualTo(history);
        assertThat(LinearizabilityChecker.check(back).linearizable()).isTrue();
    }

    @Test
    void linesAppendedByProcessesCanBeConcatenatedAndCommentsAndBlankLinesAreSkipped() throws IOException {
        Operation a = Operation.put(1, "p1", "k", "x", 0, 10, 1);
        Operation b = Operation.read(1, "p2", "k", 20, 30, "x", 1);
        Path file = dir.resolve("merged.txt");
        Files.writeString(
                file,
                "# from p1\n" + HistoryFile.format(a) + "\n\n# from p2\n" + HistoryFile.format(b) + "\n",
                StandardCharsets.UTF_8);

        assertThat(HistoryFile.read(file)).containsExactly(a, b);
    }

    @Test
    void aMalformedLineIsReportedWithItsFileAndLineNumber() throws IOException {
        Path file = dir.resolve("bad.txt");
        Files.writeString(file, "# header\n1 =c =k PUT =v 0 10 20 OK true ~\n", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> HistoryFile.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad.txt:2")
                .hasMessageContaining("expected 12 fields, found 11");
    }
}
