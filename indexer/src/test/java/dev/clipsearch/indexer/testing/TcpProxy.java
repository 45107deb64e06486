package dev.clipsearch.indexer.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on the loopback interface that a test can take down and bring back on the same
 * port: what a client sees when the server behind it becomes unreachable (connections refused, open
 * ones cut) and then returns. When the target itself is down, accepted connections are closed at
 * once.
 */
public final class TcpProxy implements AutoCloseable {

  private final int targetPort;
  private final int port;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private ServerSocket listener;
  private Thread acceptor;

  private TcpProxy(int targetPort, int port) {
    this.targetPort = targetPort;
    this.port = port;
  }

  /** Starts forwarding a free local port to {@code 127.0.0.1:targetPort}. */
  public static TcpProxy start(int targetPort) throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    TcpProxy proxy = new TcpProxy(targetPort, port);
    proxy.resume();
    return proxy;
  }

  public int port() {
    return port;
  }

  /** Listens again on the same port. */
  public synchronized void resume() throws IOException {
    if (listener != null) {
      return;
    }
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    listener = socket;
    acceptor = Thread.ofVirtual().name("tcp-proxy-" + port).start(() -> accept(socket));
  }

  /**
   * Stops listening and cuts every open connection: the target is now unreachable. Returns once the
   * listening socket is closed for good (its accepting thread has ended), so that no connection
   * made after this call reaches the target.
   */
  public void pause() {
    Thread accepting;
    synchronized (this) {
      ServerSocket socket = listener;
      listener = null;
      accepting = acceptor;
      acceptor = null;
      closeQuietly(socket);
      for (Socket s : sockets) {
        closeQuietly(s);
      }
      sockets.clear();
    }
    if (accepting != null) {
      try {
        // A socket closed while a thread is blocked in accept() is closed for good only when
        // that thread leaves accept(); until then the kernel may still complete connections.
        if (!accepting.join(Duration.ofSeconds(10))) {
          throw new IllegalStateException("tcp-proxy-" + port + " did not stop accepting");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void accept(ServerSocket socket) {
    while (!socket.isClosed()) {
      Socket client;
      try {
        client = socket.accept();
      } catch (IOException e) {
        return;
      }
      synchronized (this) {
        if (listener != socket) {
          // accepted while pause() was closing the listener: cut, like every open connection
          closeQuietly(client);
          return;
        }
        sockets.add(client);
      }
      Thread.ofVirtual().start(() -> forward(client));
    }
  }

  private void forward(Socket client) {
    Socket target = new Socket();
    try {
      target.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2000);
    } catch (IOException e) {
      closeQuietly(client);
      closeQuietly(target);
      sockets.remove(client);
      return;
    }
    sockets.add(target);
    Thread.ofVirtual().start(() -> pipe(target, client));
    pipe(client, target);
  }

  private void pipe(Socket from, Socket to) {
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException e) {
      // one side closed: close both
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      sockets.remove(from);
      sockets.remove(to);
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    pause();
  }
}
