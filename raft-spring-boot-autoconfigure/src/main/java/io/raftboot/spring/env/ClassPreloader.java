package io.raftboot.spring.env;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Loads the gRPC, Netty, protobuf and Guava classes a node needs (about 900) on a background
 * thread while Spring builds the context, so the main thread finds many of them loaded when the
 * Raft beans and the gRPC server are made; on a machine with a spare core that takes class
 * loading off the start-up path (docs/benchmarks.md, start-up, measures it).
 *
 * <p>Classes are loaded and never initialized ({@code Class.forName(name, false, loader)}): no
 * static initializer runs on this thread, so it cannot deadlock with the main thread
 * initializing the same classes, and nothing changes in what runs when. The list
 * (META-INF/raft-spring-boot/preload-classes.txt) was taken from a node's class-load log; a name
 * that is gone is skipped.
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

    @Override
    public void run() {
        try (InputStream in = loader.getResourceAsStream(LIST)) {
            if (in == null) {
                return;
            }
            BufferedReader names = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String name;
            while ((name = names.readLine()) != null) {
                if (!name.isBlank() && !name.startsWith("#")) {
                    load(name.trim());
                }
            }
        } catch (IOException e) {
            // A read error only means fewer classes preloaded.
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
