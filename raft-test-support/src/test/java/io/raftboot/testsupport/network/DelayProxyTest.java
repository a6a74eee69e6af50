package io.raftboot.testsupport.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A proxy that delays each direction by the one-way delay, keeps byte order, and can be changed or cut at run time. */
class DelayProxyTest {

    private ServerSocket echo;

    @BeforeEach
    void startEchoServer() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        DelayedPipe.daemon("echo-accept", () -> {
                    while (!echo.isClosed()) {
                        try {
                            Socket s = echo.accept();
                            DelayedPipe.daemon("echo", () -> echoAll(s)).start();
                        } catch (IOException e) {
                            return;
                        }
                    }
                })
                .start();
    }

    @AfterEach
    void stopEchoServer() throws IOException {
        echo.close();
    }

    @Test
    void aRoundTripThroughTheProxyTakesAtLeastTwiceTheOneWayDelay() throws IOException {
        try (DelayProxy proxy = new DelayProxy(0, echo.getLocalPort(), Duration.ofMillis(100));
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            long rtt = roundTripNanos(socket, "ping".getBytes());

            assertThat(Duration.ofNanos(rtt)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        }
    }

    @Test
    void aChangedDelayAppliesToTheNextChunkOfAnOpenConnection() throws IOException {
        try (DelayProxy proxy = new DelayProxy(0, echo.getLocalPort(), Duration.ofMillis(150));
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            assertThat(Duration.ofNanos(roundTripNanos(socket, new byte[] {1})))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(300));

            proxy.setDelay(Duration.ZERO);

            assertThat(Duration.ofNanos(roundTripNanos(socket, new byte[] {2}))).isLessThan(Duration.ofMillis(300));
        }
    }

    @Test
    void bytesArriveInTheOrderTheyWereSentEvenWhenTheDelayShrinksMidStream() throws IOException {
        try (DelayProxy proxy = new DelayProxy(0, echo.getLocalPort(), Duration.ofMillis(80));
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            for (int i = 0; i < 200; i++) {
                byte[] chunk = new byte[] {(byte) i, (byte) (i >> 8), 7};
                out.write(chunk);
                out.flush();
                sent.write(chunk);
                if (i == 100) {
                    proxy.setDelay(Duration.ZERO); // later chunks are due before earlier ones
                }
            }
            byte[] received = new byte[sent.size()];
            new DataInputStream(socket.getInputStream()).readFully(received);

            assertThat(received).isEqualTo(sent.toByteArray());
        }
    }

    @Test
    void aCutProxyClosesOpenConnectionsAndRefusesNewOnesUntilHealed() throws IOException {
        try (DelayProxy proxy = new DelayProxy(0, echo.getLocalPort(), Duration.ZERO)) {
            Socket open = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
            roundTripNanos(open, new byte[] {1});

            proxy.cut(true);

            assertThat(open.getInputStream().read()).isEqualTo(-1);
            try (Socket refused = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                assertThat(refused.getInputStream().read()).isEqualTo(-1);
            }

            proxy.cut(false);

            try (Socket healed = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                assertThat(roundTripNanos(healed, new byte[] {3})).isPositive();
            }
            open.close();
        }
    }

    @Test
    void aNegativeDelayIsRefused() {
        try (DelayProxy proxy = new DelayProxy(0, echo.getLocalPort(), Duration.ZERO)) {
            assertThatThrownBy(() -> proxy.setDelay(Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("negative");
        }
    }

    private static long roundTripNanos(Socket socket, byte[] payload) throws IOException {
        long start = System.nanoTime();
        socket.getOutputStream().write(payload);
        socket.getOutputStream().flush();
        byte[] back = new byte[payload.length];
        new DataInputStream(socket.getInputStream()).readFully(back);
        assertThat(back).isEqualTo(payload);
        return System.nanoTime() - start;
    }

    private static void echoAll(Socket socket) {
        try (socket;
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // the peer went away
        }
    }
}
