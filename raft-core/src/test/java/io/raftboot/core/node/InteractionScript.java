package io.raftboot.core.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One golden file of interaction tests, in the layout of etcd raft's {@code datadriven} files:
 *
 * <pre>
 * # comments and blank lines between blocks are kept as they are
 * tick n1 3
 * ----
 * the expected output, one line each, up to the next blank line
 * </pre>
 *
 * Each block is a {@link Directive}: the command with its arguments and the output expected of
 * it. The file is parsed once and written back with other outputs by {@link #render()}, so that
 * rewriting the expectations touches nothing but the outputs.
 */
final class InteractionScript {

    static final String SEPARATOR = "----";

    /**
     * One command of the script.
     *
     * @param line 1-based line of the command in the file (for failure messages)
     * @param preamble the comment and blank lines just before the command, verbatim
     * @param text the command line as written
     * @param expected the expected output lines
     */
    record Directive(int line, List<String> preamble, String text, List<String> expected) {

        String verb() {
            return words()[0];
        }

        /** The words after the verb. */
        List<String> args() {
            String[] words = words();
            return List.of(Arrays.copyOfRange(words, 1, words.length));
        }

        private String[] words() {
            return text.trim().split("\\s+");
        }

        /**
         * The first line of the comment just above the command (the file's header comment, set
         * apart by a blank line, is not it), without '#', or {@code null}.
         */
        String title() {
            String title = null;
            for (String l : preamble) {
                if (l.isBlank()) {
                    title = null;
                } else if (title == null) {
                    title = l.substring(1).trim();
                }
            }
            return title;
        }
    }

    private final Path file;
    private final List<Directive> directives;
    /** Comments and blank lines after the last block. */
    private final List<String> trailer;

    private InteractionScript(Path file, List<Directive> directives, List<String> trailer) {
        this.file = file;
        this.directives = directives;
        this.trailer = trailer;
    }

    static InteractionScript parse(Path file) throws IOException {
        return parse(file, Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    static InteractionScript parse(Path file, List<String> lines) {
        List<Directive> directives = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String l = lines.get(i);
            if (l.isBlank() || l.startsWith("#")) {
                pending.add(l);
                i++;
                continue;
            }
            int commandLine = i + 1;
            if (i + 1 >= lines.size() || !lines.get(i + 1).equals(SEPARATOR)) {
                throw new IllegalArgumentException(file.getFileName() + ":" + commandLine + ": '" + l
                        + "' must be followed by a line '" + SEPARATOR + "'");
            }
            i += 2;
            List<String> expected = new ArrayList<>();
            while (i < lines.size() && !lines.get(i).isBlank()) {
                expected.add(lines.get(i));
                i++;
            }
            directives.add(new Directive(commandLine, List.copyOf(pending), l, List.copyOf(expected)));
            pending.clear();
        }
        return new InteractionScript(file, directives, List.copyOf(pending));
    }

    Path file() {
        return file;
    }

    String name() {
        return file.getFileName().toString();
    }

    List<Directive> directives() {
        return directives;
    }

    /**
     * The directives cut into scenarios: each begins at a {@code cluster} command, which starts
     * a fresh cluster, so a scenario can fail or be read without the others.
     */
    List<List<Directive>> scenarios() {
        List<List<Directive>> scenarios = new ArrayList<>();
        for (Directive d : directives) {
            if (d.verb().equals("cluster") || scenarios.isEmpty()) {
                scenarios.add(new ArrayList<>());
            }
            scenarios.get(scenarios.size() - 1).add(d);
        }
        return scenarios;
    }

    /** The file's text with each directive's output replaced by {@code outputs} (same order). */
    String render(List<List<String>> outputs) {
        if (outputs.size() != directives.size()) {
            throw new IllegalArgumentException(outputs.size() + " outputs for " + directives.size() + " directives");
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < directives.size(); k++) {
            Directive d = directives.get(k);
            d.preamble().forEach(l -> sb.append(l).append('\n'));
            sb.append(d.text()).append('\n').append(SEPARATOR).append('\n');
            outputs.get(k).forEach(l -> sb.append(l).append('\n'));
        }
        trailer.forEach(l -> sb.append(l).append('\n'));
        return sb.toString();
    }
}
