package io.raftboot.spring.env;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ClassPreloaderTest {

    /** Records what it is asked to load; loads through its parent. */
    static class RecordingLoader extends ClassLoader {
        /** In the order asked. */
        final List<String> asked = new CopyOnWriteArrayList<>();

        RecordingLoader() {
            super(ClassPreloaderTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            asked.add(name);
            return super.loadClass(name, resolve);
        }
    }

    private static List<String> listed() throws IOException {
        try (InputStream in = ClassPreloaderTest.class.getClassLoader().getResourceAsStream(ClassPreloader.LIST)) {
            assertThat(in).as(ClassPreloader.LIST).isNotNull();
            List<String> names = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    names.add(line.trim());
                }
            }
            return names;
        }
    }

    @Test
    void everyListedClassIsAskedForAndMissingOnesAreSkipped() throws IOException {
        RecordingLoader loader = new RecordingLoader();
        new ClassPreloader(loader).run();
        assertThat(loader.asked).containsAll(listed());
    }

    @Test
    void gsonIsLoadedOnlyWhereSpringBootsGsonAutoConfigurationIs() throws IOException {
        RecordingLoader withGsonAutoConfiguration = new RecordingLoader();
        new ClassPreloader(withGsonAutoConfiguration).run();
        assertThat(withGsonAutoConfiguration.asked).contains("com.google.gson.Gson");

        RecordingLoader without = new RecordingLoader() {
            @Override
            public URL getResource(String name) {
                boolean gsonAutoConfiguration = ClassPreloader.GSON_AUTO_CONFIGURATIONS.stream()
                        .anyMatch(type -> name.equals(type.replace('.', '/') + ".class"));
                return gsonAutoConfiguration ? null : super.getResource(name);
            }
        };
        new ClassPreloader(without).run();
        assertThat(without.asked).noneMatch(name -> name.startsWith("com.google.gson."));
        assertThat(without.asked)
                .containsAll(listed().stream()
                        .filter(name -> !name.startsWith("com.google.gson."))
                        .toList());
    }

    /** Renamed in a gRPC upgrade, the native transport would be loaded on the main thread again, silently. */
    @Test
    void theTransportChoiceItInitializesFirstExistsAndIsAskedForFirst() throws Exception {
        assertThat(Class.forName(
                        ClassPreloader.TRANSPORT_CHOICE, false, getClass().getClassLoader()))
                .isNotNull();
        RecordingLoader loader = new RecordingLoader();
        new ClassPreloader(loader).run();
        assertThat(loader.asked.get(0)).isEqualTo(ClassPreloader.TRANSPORT_CHOICE);
    }

    /** A stale list only wastes time; this says when it has gone stale (a gRPC or Netty upgrade). */
    @Test
    void almostEveryListedClassExistsWithTheVersionsWeBuildWith() throws IOException {
        List<String> names = listed();
        long present = names.stream()
                .filter(name -> {
                    try {
                        Class.forName(name, false, getClass().getClassLoader());
                        return true;
                    } catch (ClassNotFoundException | LinkageError e) {
                        return false;
                    }
                })
                .count();
        assertThat(names).hasSizeGreaterThan(500);
        assertThat(present)
                .as("listed classes that exist; regenerate %s from a node's -Xlog:class+load", ClassPreloader.LIST)
                .isGreaterThanOrEqualTo(names.size() * 9 / 10);
    }
}
