package io.raftboot.spring.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.support.TestPropertySourceUtils;

/**
 * Puts the one-node settings in front of the application's property sources (its
 * application.yml with production peers among them), behind the test's own inlined properties,
 * with a fresh temporary data directory per context.
 */
final class SingleNodeRaftContextCustomizer implements ContextCustomizer {

    static final String PROPERTY_SOURCE = "raftSingleNode";

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
        Path dataDir = TemporaryDataDir.create();
        Map<String, Object> settings =
                Map.of("raft.enabled", "true", "raft.single-node", "true", "raft.data-dir", dataDir.toString());
        var sources = context.getEnvironment().getPropertySources();
        MapPropertySource source = new MapPropertySource(PROPERTY_SOURCE, settings);
        // Behind the test's inlined properties and @TestPropertySource, ahead of everything else.
        String inlined = TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME;
        if (sources.contains(inlined)) {
            sources.addAfter(inlined, source);
        } else {
            sources.addFirst(source);
        }
        // Registered first, so destroyed last: after the Raft loop has closed its files.
        ((DefaultListableBeanFactory) context.getBeanFactory())
                .registerDisposableBean("raftSingleNodeDataDir", () -> TemporaryDataDir.delete(dataDir));
    }

    /** Every instance is the same customization: tests that share the rest share the context. */
    @Override
    public boolean equals(Object other) {
        return other instanceof SingleNodeRaftContextCustomizer;
    }

    @Override
    public int hashCode() {
        return SingleNodeRaftContextCustomizer.class.hashCode();
    }

    /** A data directory that lives as long as its context. */
    static final class TemporaryDataDir {

        private TemporaryDataDir() {}

        static Path create() {
            try {
                return Files.createTempDirectory("raft-single-node-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary raft.data-dir", e);
            }
        }

        static void delete(Path dir) throws IOException {
            if (!Files.exists(dir)) {
                return;
            }
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
