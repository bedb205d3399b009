package dev.bulwark.toxiproxy;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Client-side socket helpers for tests: connect with a read timeout, round trips, reads to the end. */
final class Sockets {

    /** No test read waits longer than this, so a broken proxy fails a test instead of hanging it. */
    static final int READ_TIMEOUT_MILLIS = 10_000;

    private Sockets() {
    }

    static Socket connect(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        return socket;
    }

    /** The port of a proxy's reported listen address, e.g. {@code 127.0.0.1:40123}. */
    static int portOf(String listen) {
        return Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
    }

    /** Sends {@code message} and reads the same number of bytes back; returns how long that took. */
    static Duration roundTrip(Socket socket, String message) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        long start = System.nanoTime();
        socket.getOutputStream().write(bytes);
        byte[] reply = socket.getInputStream().readNBytes(bytes.length);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        if (!new String(reply, StandardCharsets.UTF_8).equals(message)) {
            throw new IOException("expected echo of " + message + " but got " + new String(reply, StandardCharsets.UTF_8));
        }
        return elapsed;
    }

    /** Reads until end of stream and returns the bytes read. */
    static byte[] readToEnd(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        return in.readAllBytes();
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
