package dev.clipsearch.indexer.solr;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP port that forwards to another one and can be cut and restored, so that a test can make a
 * Solr node unreachable and reachable again without restarting it. Daemon threads; {@link #close}
 * (or {@link #cut}) closes every socket it opened.
 */
final class TcpForwarder implements AutoCloseable {

  private final int port;
  private final int target;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile ServerSocket server;

  TcpForwarder(int port, int target) {
    this.port = port;
    this.target = target;
  }

  int port() {
    return port;
  }

  /** Starts accepting on {@link #port()} and forwarding to the target port. */
  synchronized void restore() throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    server = s;
    Thread accept = new Thread(() -> acceptLoop(s), "forwarder-accept-" + port);
    accept.setDaemon(true);
    accept.start();
  }

  private void acceptLoop(ServerSocket s) {
    while (!s.isClosed()) {
      try {
        Socket client = s.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
        sockets.add(client);
        sockets.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        return; // closed by cut()
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
              } catch (IOException e) {
                // one side closed: close both below
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "forwarder-pump-" + port);
    t.setDaemon(true);
    t.start();
  }

  /** Stops accepting and closes every forwarded connection: the port refuses connections. */
  synchronized void cut() {
    if (server != null) {
      closeQuietly(server);
      server = null;
    }
    for (Socket s : sockets) {
      closeQuietly(s);
    }
    sockets.clear();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing
    }
  }

  @Override
  public void close() {
    cut();
  }
}
