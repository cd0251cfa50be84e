package com.lockstep.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Free TCP ports on the loopback interface. */
final class FreePorts {

    static final String HOST = "127.0.0.1";
    private static final int MIN_LISTEN_PORT = 10_000;
    private static final int MAX_LISTEN_PORT = 32_768;
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final Random RANDOM = new Random();
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /** Whether nothing listens on the port right now. */
    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A port that was free a moment ago, below the kernel's range for the local ports of outgoing
     * connections. A service binds its port only at the end of its start, seconds later; a port from
     * that range (as the OS picks for {@code bind(0)}) may by then be the local end of one of the
     * many client connections opened meanwhile, and the service fails to start ("Port ... in use").
     */
    static int pick() {
        int ceiling = Math.min(outgoingPortsFrom(), MAX_LISTEN_PORT);
        for (int attempt = 0; attempt < 100 && ceiling > MIN_LISTEN_PORT; attempt++) {
            int port = MIN_LISTEN_PORT + RANDOM.nextInt(ceiling - MIN_LISTEN_PORT);
            // Picked ports are bound only later: never hand one out twice.
            if (isFree(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on " + HOST, e);
        }
    }

    /** The first port of Linux's ephemeral range, or the default of Linux (and below macOS's) elsewhere. */
    private static int outgoingPortsFrom() {
        try {
            return Integer.parseInt(Files.readString(EPHEMERAL_RANGE).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return MAX_LISTEN_PORT;
        }
    }
}
