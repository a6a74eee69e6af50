package io.raftboot.spring.env;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Loads the gRPC, Netty, protobuf and Guava classes a node needs (about 900) on a background
 * thread while Spring builds the context, so the main thread finds many of them loaded when the
 * Raft beans and the gRPC server are made; on a machine with a spare core that takes class
 * loading off the start-up path (docs/benchmarks.md, start-up, measures it).
 *
 * <p>Classes are loaded and not initialized ({@code Class.forName(name, false, loader)}): no
 * static initializer of theirs runs on this thread, so it cannot deadlock with the main thread
 * initializing the same classes, and nothing changes in what runs when. The list
 * (META-INF/raft-spring-boot/preload-classes.txt) was taken from a node's class-load log; a name
 * that is gone is skipped.
 *
 * <p>One class is initialized first, on purpose: gRPC's Netty {@code Utils}, whose static
 * initializer decides between the epoll and the NIO transport by loading Netty's native epoll
 * library (extracted from the jar to a temporary file): about 200 ms on the main thread
 * otherwise, the largest single cost of the node's first gRPC use. It cannot deadlock: its
 * initializer only reaches down (Netty's epoll classes, gRPC core's constants), and none of
 * those refers back to it; a main thread that needs it meanwhile waits for it, as it would
 * for any class being initialized, and finds the work done.
 */
final class ClassPreloader implements Runnable {

    static final String LIST = "META-INF/raft-spring-boot/preload-classes.txt";

    /** Once per JVM is enough: tests start many applications in one, with one class loader. */
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private final ClassLoader loader;

    ClassPreloader(ClassLoader loader) {
        this.loader = loader;
    }

    static void start(ClassLoader loader) {
        if (loader == null || !STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(new ClassPreloader(loader), "raft-preload");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    /** Initialized before the list is loaded (see the class comment). */
    static final String TRANSPORT_CHOICE = "io.grpc.netty.shaded.io.grpc.netty.Utils";

    /**
     * Gson comes with gRPC, which needs it only to parse service configs; at start-up only Spring
     * Boot's Gson auto-configuration (Boot 3's, or Boot 4's spring-boot-gson module) loads it. Without
     * either, its listed classes (a seventh of the list) would be loaded for nothing.
     */
    static final List<String> GSON_AUTO_CONFIGURATIONS = List.of(
            "org.springframework.boot.autoconfigure.gson.GsonAutoConfiguration",
            "org.springframework.boot.gson.autoconfigure.GsonAutoConfiguration");

    private static final String GSON = "com.google.gson.";

    @Override
    public void run() {
        initialize(TRANSPORT_CHOICE);
        boolean gsonAtStartup = GSON_AUTO_CONFIGURATIONS.stream()
                .anyMatch(name -> loader.getResource(name.replace('.', '/') + ".class") != null);
        try (InputStream in = loader.getResourceAsStream(LIST)) {
            if (in == null) {
                return;
            }
            BufferedReader names = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String name;
            while ((name = names.readLine()) != null) {
                name = name.trim();
                if (!name.isEmpty() && !name.startsWith("#") && (gsonAtStartup || !name.startsWith(GSON))) {
                    load(name);
                }
            }
        } catch (IOException e) {
            // A read error only means fewer classes preloaded.
        }
    }

    private void initialize(String name) {
        try {
            Class.forName(name, true, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            // Another gRPC version: the main thread initializes what it uses, as without this thread.
        }
    }

    private void load(String name) {
        try {
            Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            // Not on this application's class path (another version); the main thread decides.
        }
    }
}
