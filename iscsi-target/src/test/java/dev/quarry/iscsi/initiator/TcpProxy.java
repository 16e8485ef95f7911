package dev.quarry.iscsi.initiator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on 127.0.0.1 between the initiator and a target, so that tests can cut connections
 * the way a failing network or target does: {@link #dropConnections()} resets every relayed
 * connection, {@link #refuse(boolean)} turns new ones away (a target gone for good).
 *
 * <p>Thread-safe. One platform thread accepts; two per connection copy bytes.
 */
final class TcpProxy implements AutoCloseable {

    private volatile InetSocketAddress upstream;
    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile boolean refusing;
    private volatile int accepted;

    TcpProxy(InetSocketAddress upstream) {
        this.upstream = upstream;
        try {
            this.listener = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.acceptor = Thread.ofPlatform().daemon().name("proxy-accept").start(this::accept);
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", listener.getLocalPort());
    }

    /** Connections accepted so far. */
    int accepted() {
        return accepted;
    }

    /** Relays new connections to {@code address} from now on. */
    void upstream(InetSocketAddress address) {
        upstream = address;
    }

    /** While on, new connections are closed at once. */
    void refuse(boolean on) {
        refusing = on;
    }

    /** Resets every relayed connection (both sides see the connection die). */
    void dropConnections() {
        // Only what is reset leaves the list: a reconnect relayed meanwhile must stay droppable.
        for (Socket socket : List.copyOf(sockets)) {
            reset(socket);
            sockets.remove(socket);
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                continue;
            }
            accepted++;
            if (refusing) {
                reset(client);
                continue;
            }
            try {
                relay(client);
            } catch (IOException e) {
                reset(client);
            }
        }
    }

    private void relay(Socket client) throws IOException {
        Socket server = new Socket();
        server.connect(upstream, 2000);
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(server);
        Thread.ofPlatform().daemon().name("proxy-up").start(() -> copy(client, server));
        Thread.ofPlatform().daemon().name("proxy-down").start(() -> copy(server, client));
    }

    private void copy(Socket from, Socket to) {
        byte[] buffer = new byte[65536];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            reset(from);
        } finally {
            reset(to);
        }
    }

    private static void reset(Socket socket) {
        try {
            if (!socket.isClosed()) {
                socket.setSoLinger(true, 0);
                socket.close();
            }
        } catch (SocketException e) {
            closeQuietly(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        dropConnections();
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
