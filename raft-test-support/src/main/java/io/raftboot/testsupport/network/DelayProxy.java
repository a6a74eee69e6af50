package io.raftboot.testsupport.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback that delays every chunk by a one-way delay in each direction, in order:
 * a slow network between processes on one machine, where {@code tc qdisc ... netem} is not
 * available (it needs a kernel module and privileges). Listens on {@link #port()}, connects each
 * accepted connection to the target port on loopback. The delay can be changed at run time; it
 * applies to the chunks read after the change. {@link #cut(boolean)} closes every connection and
 * refuses new ones: a partition of the target as seen through this proxy.
 *
 * <p>Not a network model: no bandwidth limit, no loss, no jitter beyond the scheduler's. A round
 * trip through the proxy takes at least twice the one-way delay.
 */
public final class DelayProxy implements AutoCloseable {

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final ServerSocket server;
    private final int targetPort;
    private final String name;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile long delayNanos;
    private volatile boolean cut;
    private volatile boolean closed;

    /** Listens on {@code listenPort} (0: any free port) and forwards to {@code targetPort}, both on loopback. */
    public DelayProxy(int listenPort, int targetPort, Duration oneWayDelay) {
        this.targetPort = targetPort;
        this.name = "delay-proxy-" + INSTANCES.incrementAndGet() + "-to-" + targetPort;
        setDelay(oneWayDelay);
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort), 50);
        } catch (IOException e) {
            throw new UncheckedIOException("could not listen on port " + listenPort + " for " + name, e);
        }
        DelayedPipe.daemon(name + "-accept", this::accept).start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public int targetPort() {
        return targetPort;
    }

    public Duration delay() {
        return Duration.ofNanos(delayNanos);
    }

    /** The one-way delay of chunks read from now on, in each direction. */
    public void setDelay(Duration oneWayDelay) {
        if (oneWayDelay.isNegative()) {
            throw new IllegalArgumentException("a delay cannot be negative: " + oneWayDelay);
        }
        this.delayNanos = oneWayDelay.toNanos();
    }

    /** {@code true}: closes every open connection and refuses new ones until called with {@code false}. */
    public void cut(boolean cut) {
        this.cut = cut;
        if (cut) {
            sockets.forEach(DelayProxy::closeQuietly);
        }
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println(name + ": accept failed: " + e);
                }
                return;
            }
            if (cut) {
                closeQuietly(client);
                continue;
            }
            connect(client);
        }
    }

    private void connect(Socket client) {
        Socket target = new Socket();
        try {
            client.setTcpNoDelay(true);
            target.setTcpNoDelay(true);
            target.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 1000);
        } catch (IOException e) {
            // The target is down: the client sees its connection closed, as with a refused connect.
            closeQuietly(client);
            closeQuietly(target);
            return;
        }
        sockets.add(client);
        sockets.add(target);
        AtomicBoolean failed = new AtomicBoolean();
        Runnable closeBoth = () -> {
            if (failed.compareAndSet(false, true)) {
                closeQuietly(client);
                closeQuietly(target);
                sockets.remove(client);
                sockets.remove(target);
            }
        };
        // Each direction may end on its own (a half close); the sockets close once both did.
        AtomicInteger open = new AtomicInteger(2);
        Runnable ended = () -> {
            if (open.decrementAndGet() == 0) {
                closeBoth.run();
            }
        };
        new DelayedPipe(client, target, () -> delayNanos, closeBoth, ended).start(name + "-up");
        new DelayedPipe(target, client, () -> delayNanos, closeBoth, ended).start(name + "-down");
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        sockets.forEach(DelayProxy::closeQuietly);
        sockets.clear();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (SocketException e) {
            // closed already
        } catch (Exception e) {
            // nothing left to do with a socket that cannot close
        }
    }

    @Override
    public String toString() {
        return name + " on " + port() + " (" + delay().toMillis() + " ms one way" + (cut ? ", cut" : "") + ")";
    }
}
