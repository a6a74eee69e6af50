package io.raftboot.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden-file interaction tests, in the manner of etcd raft's {@code datadriven} tests: each
 * file under {@code src/test/resources/interaction} is a list of commands with the output
 * expected of each (see {@link InteractionScript} for the layout, {@link InteractionEnv} for the
 * commands and what they print). One dynamic test per scenario (a scenario starts at a
 * {@code cluster} command), named after the comment above it.
 *
 * <p>{@code -Draft.interaction.rewrite=true} writes the actual outputs into the files in the
 * source tree instead of comparing: for a reviewed change of behaviour, whose diff of the files
 * is then read like any other code change.
 */
class InteractionTest {

    static final String REWRITE = "raft.interaction.rewrite";

    private static final Path DIR = sourceDir();
    private static final boolean REWRITING = Boolean.getBoolean(REWRITE);

    @TestFactory
    Stream<DynamicNode> goldenFiles() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(DIR)) {
            files = s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        assertThat(files).as("golden files in %s", DIR).isNotEmpty();
        List<DynamicNode> nodes = new ArrayList<>();
        for (Path file : files) {
            nodes.add(container(InteractionScript.parse(file)));
        }
        return nodes.stream();
    }

    @Test
    void aChangedExpectationFailsWithTheFileTheLineTheCommandAndADiff() {
        InteractionScript script = InteractionScript.parse(
                Path.of("example.txt"),
                List.of(
                        "# a leader elected",
                        "cluster n1 n2 n3",
                        "----",
                        "n1: up",
                        "",
                        "status n1",
                        "----",
                        "n1 wrong"));
        InteractionEnv env = new InteractionEnv();
        List<InteractionScript.Directive> ds = script.directives();
        env.run(ds.get(0));

        String failure = mismatch(script, ds.get(1), env.run(ds.get(1)));

        assertThat(failure)
                .startsWith("example.txt:6: status n1")
                .contains("-n1 wrong", "+n1 role=FOLLOWER term=0")
                .contains("-D" + REWRITE + "=true");
    }

    @Test
    void renderingAnUnchangedScriptGivesBackTheFileByteForByte() throws IOException {
        for (Path file : Files.list(DIR)
                .filter(p -> p.toString().endsWith(".txt"))
                .sorted()
                .toList()) {
            InteractionScript script = InteractionScript.parse(file);
            List<List<String>> expected = script.directives().stream()
                    .map(InteractionScript.Directive::expected)
                    .toList();

            assertThat(script.render(expected)).as(file.toString()).isEqualTo(Files.readString(file));
        }
    }

    private static DynamicContainer container(InteractionScript script) {
        List<InteractionScript.Directive> all = script.directives();
        // The outputs to write back when rewriting, starting from the file's own.
        List<List<String>> outputs = new ArrayList<>(
                all.stream().map(InteractionScript.Directive::expected).toList());
        List<DynamicTest> tests = new ArrayList<>();
        for (List<InteractionScript.Directive> scenario : script.scenarios()) {
            InteractionScript.Directive first = scenario.get(0);
            String title = first.title() == null ? "scenario" : first.title();
            tests.add(DynamicTest.dynamicTest(
                    script.name() + ":" + first.line() + " " + title,
                    script.file().toUri(),
                    () -> runScenario(script, scenario, outputs)));
        }
        return DynamicContainer.dynamicContainer(script.name(), script.file().toUri(), tests.stream());
    }

    private static void runScenario(
            InteractionScript script, List<InteractionScript.Directive> scenario, List<List<String>> outputs)
            throws IOException {
        InteractionEnv env = new InteractionEnv();
        String firstFailure = null;
        List<Integer> laterFailures = new ArrayList<>();
        for (InteractionScript.Directive d : scenario) {
            List<String> actual;
            try {
                actual = env.run(d);
            } catch (IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException e) {
                throw new AssertionError(script.name() + ":" + d.line() + ": " + d.text() + ": " + e.getMessage(), e);
            } catch (AssertionError e) {
                // A safety check of Network failed: never something to accept by rewriting.
                throw new AssertionError(script.name() + ":" + d.line() + ": " + d.text() + ": " + e.getMessage(), e);
            }
            outputs.set(script.directives().indexOf(d), actual);
            if (!actual.equals(d.expected())) {
                if (firstFailure == null) {
                    firstFailure = mismatch(script, d, actual);
                } else {
                    laterFailures.add(d.line());
                }
            }
        }
        if (REWRITING) {
            String text = script.render(outputs);
            if (!text.equals(Files.readString(script.file(), StandardCharsets.UTF_8))) {
                Files.writeString(script.file(), text, StandardCharsets.UTF_8);
            }
            return;
        }
        if (firstFailure != null) {
            throw new AssertionError(firstFailure
                    + (laterFailures.isEmpty()
                            ? ""
                            : "\n(the outputs of the commands at lines " + laterFailures
                                    + " differ too; they may follow from this one)"));
        }
    }

    /** {@code file:line: command}, then the expected and actual outputs as a unified line diff. */
    static String mismatch(InteractionScript script, InteractionScript.Directive d, List<String> actual) {
        StringBuilder sb = new StringBuilder(script.name())
                .append(':')
                .append(d.line())
                .append(": ")
                .append(d.text())
                .append("\n  output differs (-expected +actual):\n");
        for (String l : InteractionDiff.lines(d.expected(), actual)) {
            sb.append("    ").append(l).append('\n');
        }
        return sb.append("  if the change of behaviour is intended, rerun with -D")
                .append(REWRITE)
                .append("=true and review the diff of ")
                .append(script.file())
                .toString();
    }

    /**
     * The directory of the golden files in the source tree (surefire runs in the module's
     * directory), so that rewriting changes the files under version control, not copies.
     */
    private static Path sourceDir() {
        Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        Path dir = base.resolve("src/test/resources/interaction");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("no golden files at " + dir.toAbsolutePath()
                    + ": run the test from the raft-core module directory");
        }
        return dir;
    }
}
