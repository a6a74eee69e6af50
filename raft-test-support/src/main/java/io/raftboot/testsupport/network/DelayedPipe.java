package io.raftboot.testsupport.network;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * One direction of a proxied connection: a reader thread stamps every chunk it reads with the
 * instant it may be delivered (now + the current one-way delay), a writer thread delivers the
 * chunks in the order they were read, each no earlier than its stamp. Byte order is kept even when
 * the delay shrinks at run time: a chunk never overtakes the one before it (TCP would not either).
 * End of stream is delayed like data, then half-closes the far side.
 */
final class DelayedPipe {

    /** A chunk of bytes and when it may be written; {@code bytes == null} marks end of stream. */
    private record Chunk(long deliverAtNanos, byte[] bytes) {}

    private static final int CHUNK_SIZE = 64 * 1024;

    private final BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
    private final Socket from;
    private final Socket to;
    private final LongSupplier delayNanos;
    private final Runnable onFailure;
    private final Runnable onEnd;

    /**
     * @param delayNanos read once per chunk, so a change applies to the next chunk read
     * @param onFailure called when either side fails: closes the whole connection
     * @param onEnd called once the end of stream was passed on
     */
    DelayedPipe(Socket from, Socket to, LongSupplier delayNanos, Runnable onFailure, Runnable onEnd) {
        this.from = from;
        this.to = to;
        this.delayNanos = delayNanos;
        this.onFailure = onFailure;
        this.onEnd = onEnd;
    }

    void start(String name) {
        daemon(name + "-read", this::read).start();
        daemon(name + "-write", this::write).start();
    }

    private void read() {
        byte[] buffer = new byte[CHUNK_SIZE];
        try {
            InputStream in = from.getInputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                queue.add(new Chunk(System.nanoTime() + delayNanos.getAsLong(), Arrays.copyOf(buffer, n)));
            }
            queue.add(new Chunk(System.nanoTime() + delayNanos.getAsLong(), null));
        } catch (IOException e) {
            onFailure.run();
        }
    }

    private void write() {
        try {
            OutputStream out = to.getOutputStream();
            while (true) {
                Chunk chunk = queue.take();
                waitUntil(chunk.deliverAtNanos());
                if (chunk.bytes() == null) {
                    to.shutdownOutput();
                    onEnd.run();
                    return;
                }
                out.write(chunk.bytes());
                out.flush();
            }
        } catch (IOException e) {
            onFailure.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            onFailure.run();
        }
    }

    /** Parks until the instant; the delay is the point of this class, not a wait for a state. */
    private static void waitUntil(long deadlineNanos) throws InterruptedException {
        long left;
        while ((left = deadlineNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }
}
