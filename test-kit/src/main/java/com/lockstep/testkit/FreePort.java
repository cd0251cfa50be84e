package com.lockstep.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free TCP ports on the loopback interface. */
final class FreePort {

    private FreePort() {
    }

    /** A port that was free a moment ago: the OS picks it, so two calls rarely collide. */
    static int pick() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LocalServer.HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on " + LocalServer.HOST, e);
        }
    }

    /** {@code port}, or a free one when it is 0. */
    static int orPick(int port) {
        return port == 0 ? pick() : port;
    }
}
