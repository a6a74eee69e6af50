package io.raftboot.spring.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/configuration.md} in step with the configuration metadata that the
 * configuration processor generates from {@code RaftProperties} (and Spring Boot's processor from
 * the {@code raft} endpoint): every property of the metadata has a table row in the page, every
 * {@code raft.*} property a table row names exists, and a default the page states is the
 * metadata's default.
 */
class ConfigurationDocsTest {

    private static final String METADATA = "META-INF/spring-configuration-metadata.json";
    /** This module's directory: the parent of target/test-classes, whatever the working directory. */
    private static final Path MODULE = moduleDirectory();

    private static final Path DOC = MODULE.resolve("../docs/configuration.md").normalize();

    /** A dotted lower-case property name; a map key written as {@code .<id>} or {@code .1} ends it. */
    private static final Pattern PROPERTY = Pattern.compile("(?<![\\w.-])([a-z][a-z0-9-]*(?:\\.[a-z][a-z0-9-]*)+)");

    /** Name to metadata entry, of this module's own metadata only. */
    private static Map<String, JsonNode> metadata;

    /** The value hints of that metadata (merged in from additional-spring-configuration-metadata.json). */
    private static List<JsonNode> hints;

    private static List<List<String>> tableRows;

    @BeforeAll
    static void load() throws IOException, URISyntaxException {
        metadata = moduleMetadata();
        assertThat(metadata).as("properties in this module's %s", METADATA).isNotEmpty();
        assertThat(DOC)
                .as("docs/configuration.md, resolved from the module directory")
                .isRegularFile();
        tableRows = tableRows(Files.readAllLines(DOC, StandardCharsets.UTF_8));
    }

    @Test
    void everyValueHintIsForAPropertyThatExists() {
        assertThat(hints).as("value hints in the metadata").isNotEmpty();
        for (JsonNode hint : hints) {
            String name = hint.path("name").asText();
            assertThat(metadata)
                    .as("the property of the value hint '%s' (renamed or removed? fix the hint)", name)
                    .containsKey(name);
        }
    }

    @Test
    void everyPropertyOfTheMetadataHasATableRowInConfigurationMd() {
        Set<String> documented = new TreeSet<>();
        for (List<String> row : tableRows) {
            documented.addAll(propertiesIn(String.join(" ", row)));
        }
        Set<String> missing = new TreeSet<>(metadata.keySet());
        missing.removeAll(documented);
        assertThat(missing)
                .as(
                        "properties of the configuration metadata that no table row of %s names;"
                                + " add a row for each (Property | Default | Meaning)",
                        DOC)
                .isEmpty();
    }

    @Test
    void everyRaftPropertyInATableRowOfConfigurationMdExists() {
        Set<String> unknown = new TreeSet<>();
        for (List<String> row : tableRows) {
            for (String name : propertiesIn(String.join(" ", row))) {
                if (name.startsWith("raft.") && !exists(name)) {
                    unknown.add(name);
                }
            }
        }
        assertThat(unknown)
                .as(
                        "raft.* properties named in a table row of %s that the configuration metadata"
                                + " does not know (renamed or removed?); known: %s",
                        DOC, metadata.keySet())
                .isEmpty();
    }

    @Test
    void aDefaultStatedInConfigurationMdIsTheMetadataDefault() {
        Map<String, String> wrong = new LinkedHashMap<>();
        for (List<String> row : tableRows) {
            if (row.size() < 2) {
                continue;
            }
            List<String> named = propertiesIn(row.get(0));
            if (named.size() != 1 || !metadata.containsKey(named.get(0))) {
                continue;
            }
            JsonNode expected = metadata.get(named.get(0)).get("defaultValue");
            if (expected == null || expected.isNull() || expected.isContainerNode()) {
                continue;
            }
            String stated = row.get(1).replace("`", "").trim();
            if (!stated.equals(expected.asText())) {
                wrong.put(named.get(0), "page says '" + stated + "', metadata says '" + expected.asText() + "'");
            }
        }
        assertThat(wrong).as("defaults in the Default column of %s", DOC).isEmpty();
    }

    private static boolean exists(String name) {
        if (metadata.containsKey(name)) {
            return true;
        }
        // raft.peers.<id>: a key below a map-valued property.
        for (Map.Entry<String, JsonNode> e : metadata.entrySet()) {
            if (name.startsWith(e.getKey() + ".")
                    && e.getValue().path("type").asText().startsWith("java.util.Map")) {
                return true;
            }
        }
        return false;
    }

    private static List<String> propertiesIn(String text) {
        List<String> names = new ArrayList<>();
        Matcher m = PROPERTY.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The cells of every Markdown table row except header separators. */
    private static List<List<String>> tableRows(List<String> lines) {
        List<List<String>> rows = new ArrayList<>();
        for (String line : lines) {
            String t = line.trim();
            if (!t.startsWith("|") || t.matches("\\|[\\s:|-]*")) {
                continue;
            }
            List<String> cells = new ArrayList<>();
            for (String cell : t.substring(1).split("\\|", -1)) {
                cells.add(cell.trim());
            }
            rows.add(cells);
        }
        return rows;
    }

    /**
     * The metadata this module's build generated (in its {@code target/classes}), not the copies
     * other jars on the test classpath carry.
     */
    private static Map<String, JsonNode> moduleMetadata() throws IOException, URISyntaxException {
        Path classes = MODULE.resolve("target/classes");
        List<URL> seen = new ArrayList<>();
        for (URL url :
                Collections.list(ConfigurationDocsTest.class.getClassLoader().getResources(METADATA))) {
            seen.add(url);
            if (!"file".equals(url.getProtocol())
                    || !Path.of(url.toURI()).normalize().startsWith(classes)) {
                continue;
            }
            JsonNode root;
            try (InputStream in = url.openStream()) {
                root = new ObjectMapper().readTree(in);
            }
            Map<String, JsonNode> byName = new LinkedHashMap<>();
            for (JsonNode property : root.path("properties")) {
                byName.put(property.path("name").asText(), property);
            }
            hints = new ArrayList<>();
            root.path("hints").forEach(hints::add);
            return byName;
        }
        return fail(
                "no %s under %s (found only %s): the configuration processor generates it when the module"
                        + " is compiled",
                METADATA, classes, seen);
    }

    private static Path moduleDirectory() {
        try {
            Path testClasses = Path.of(ConfigurationDocsTest.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            return testClasses.toAbsolutePath().normalize().getParent().getParent();
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("").toAbsolutePath();
        }
    }

    @Test
    void thePropertyPatternReadsMapKeysAndAssignmentsAsTheirProperty() {
        assertThat(propertiesIn(
                        "`raft.peers.<id>` | `raft.peers.1=h1:9090`, `raft.node-id=2`; `./raft-data/<node-id>`"))
                .containsExactly("raft.peers", "raft.peers", "raft.node-id");
        assertThat(new LinkedHashSet<>(propertiesIn("io.raftboot.spring and raft.kubernetes.port")))
                .contains("raft.kubernetes.port")
                .doesNotContain("raftboot.spring");
    }
}
