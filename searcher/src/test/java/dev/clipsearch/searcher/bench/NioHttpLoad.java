package dev.clipsearch.searcher.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

/**
 * The open-loop generator's lean HTTP/1.1 client: one thread and one selector, non-blocking
 * sockets, every request encoded as bytes before its window starts, keep-alive connections reused
 * (most recently freed first), one request per connection at a time (no pipelining, as browsers and
 * the JDK client do). Of a response it reads only the status code and the body's framing ({@code
 * Content-Length} or chunked). Its reason to exist is its cost: the JDK {@code HttpClient} spent
 * about 1 ms of CPU per request, a quarter of what the server spent answering it, on the same 2
 * cores (docs/benchmarks.md, "Open-loop serving").
 *
 * <p>A request due while every allowed connection is busy waits in a FIFO; its latency still runs
 * from its due time. A reused connection the server closed while idle gets the request again on a
 * new connection (once).
 */
final class NioHttpLoad implements AutoCloseable {

  /** Latency slot value of a request that failed. */
  static final long ERROR = -1;

  /** Latency slot value of a request not answered (yet). */
  static final long NO_ANSWER = Long.MIN_VALUE;

  private final InetSocketAddress address;
  private final int maxConnections;
  private final Selector selector;
  private final ArrayDeque<Connection> idle = new ArrayDeque<>();
  private final Set<Connection> open = new HashSet<>();

  // The current window.
  private byte[][] requests;
  private long[] nanos;
  private long start;
  private double interval;
  private final ArrayDeque<Integer> backlog = new ArrayDeque<>();
  private final Map<String, Integer> reasons = new TreeMap<>();
  private int outstanding;
  private long lastAnswer;

  NioHttpLoad(InetSocketAddress address, int maxConnections) throws IOException {
    this.address = address;
    this.maxConnections = maxConnections;
    this.selector = Selector.open();
  }

  /** A GET request for {@code pathAndQuery} as it goes on the wire. */
  static byte[] get(String host, int port, String pathAndQuery) {
    return ("GET "
            + pathAndQuery
            + " HTTP/1.1\r\nHost: "
            + host
            + ":"
            + port
            + "\r\nUser-Agent: clipsearch-open-loop\r\nAccept: application/json\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** What one window gave: per request, the latency from its due time or {@link #ERROR}. */
  record Result(long[] nanos, Map<String, Integer> reasons, long start, long lastAnswer) {}

  /**
   * Sends {@code requests}, the i-th due at {@code start + i / rate}, and waits for the answers up
   * to {@code timeoutSeconds} after the last one was due; those still unanswered then are errors.
   */
  Result run(byte[][] requests, int rate, int timeoutSeconds) throws IOException {
    this.requests = requests;
    this.nanos = new long[requests.length];
    java.util.Arrays.fill(nanos, NO_ANSWER);
    this.interval = 1e9 / rate;
    this.reasons.clear();
    this.backlog.clear();
    this.outstanding = 0;
    this.start = System.nanoTime() + 10_000_000L; // 10 ms to get going
    this.lastAnswer = start;
    long end = due(requests.length - 1) + timeoutSeconds * 1_000_000_000L;
    int next = 0;
    while (true) {
      long now = System.nanoTime();
      while (next < requests.length && due(next) <= now) {
        outstanding++;
        dispatch(next++);
      }
      if (next == requests.length && (outstanding == 0 || now >= end)) {
        break;
      }
      long wait = (next < requests.length ? due(next) : end) - now;
      if (wait >= 1_000_000L) {
        selector.select(wait / 1_000_000L);
      } else if (selector.selectNow() == 0 && wait > 0) {
        LockSupport.parkNanos(wait);
      }
      Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
      while (keys.hasNext()) {
        SelectionKey key = keys.next();
        keys.remove();
        ready((Connection) key.attachment(), key);
      }
    }
    for (Connection c : Set.copyOf(open)) {
      if (c.slot >= 0) {
        finish(c.slot, ERROR, "no answer within " + timeoutSeconds + " s");
        close(c);
      }
    }
    for (int slot : backlog) {
      finish(slot, ERROR, "no answer within " + timeoutSeconds + " s");
    }
    backlog.clear();
    return new Result(nanos, new TreeMap<>(reasons), start, lastAnswer);
  }

  private long due(int slot) {
    return start + (long) (slot * interval);
  }

  private void dispatch(int slot) throws IOException {
    Connection c = idle.pollFirst();
    if (c != null) {
      send(c, slot, true);
    } else if (open.size() < maxConnections) {
      connect(slot);
    } else {
      backlog.addLast(slot);
    }
  }

  private void connect(int slot) {
    SocketChannel channel = null;
    try {
      channel = SocketChannel.open();
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      Connection c = new Connection(channel);
      open.add(c);
      c.slot = slot;
      c.key = channel.register(selector, 0, c);
      if (channel.connect(address)) {
        send(c, slot, false);
      } else {
        c.key.interestOps(SelectionKey.OP_CONNECT);
      }
    } catch (IOException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // already failing
        }
      }
      finish(slot, ERROR, reason(e));
    }
  }

  private void send(Connection c, int slot, boolean reused) throws IOException {
    c.slot = slot;
    c.reused = reused;
    c.out = ByteBuffer.wrap(requests[slot]);
    c.in.clear();
    c.headerEnd = -1;
    c.cursor = 0;
    write(c);
  }

  private void write(Connection c) {
    try {
      c.channel.write(c.out);
      c.key.interestOps(c.out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    } catch (IOException e) {
      broken(c, reason(e));
    }
  }

  private void ready(Connection c, SelectionKey key) throws IOException {
    if (!key.isValid()) {
      return;
    }
    if (key.isConnectable()) {
      try {
        c.channel.finishConnect();
      } catch (IOException e) {
        broken(c, reason(e));
        return;
      }
      send(c, c.slot, false);
      return;
    }
    if (key.isWritable()) {
      write(c);
      return;
    }
    if (key.isReadable()) {
      read(c);
    }
  }

  private void read(Connection c) throws IOException {
    if (!c.in.hasRemaining()) {
      ByteBuffer bigger = ByteBuffer.allocate(c.in.capacity() * 2);
      c.in.flip();
      bigger.put(c.in);
      c.in = bigger;
    }
    int n;
    try {
      n = c.channel.read(c.in);
    } catch (IOException e) {
      broken(c, reason(e));
      return;
    }
    if (n < 0) {
      broken(c, "connection closed by the server");
      return;
    }
    if (c.slot < 0) {
      return; // bytes on an idle connection: nothing is expected, ignore
    }
    int status = c.complete();
    if (status > 0) {
      int slot = c.slot;
      c.slot = -1;
      finish(slot, status == 200 ? System.nanoTime() - due(slot) : ERROR, "HTTP " + status);
      if (c.closeAfter) {
        close(c);
        nextFromBacklog();
      } else if (!backlog.isEmpty()) {
        send(c, backlog.pollFirst(), true);
      } else {
        idle.addFirst(c);
      }
    }
  }

  /** A connection failed: its request is retried once if the server dropped a reused one. */
  private void broken(Connection c, String reason) {
    int slot = c.slot;
    boolean retry = c.reused && c.in.position() == 0;
    close(c);
    if (slot >= 0) {
      if (retry) {
        connect(slot);
        return;
      }
      finish(slot, ERROR, reason);
    }
    try {
      nextFromBacklog();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void nextFromBacklog() throws IOException {
    if (!backlog.isEmpty() && open.size() < maxConnections) {
      connect(backlog.pollFirst());
    }
  }

  private void finish(int slot, long value, String reason) {
    if (nanos[slot] != NO_ANSWER) {
      return;
    }
    nanos[slot] = value;
    outstanding--;
    if (value == ERROR) {
      reasons.merge(reason, 1, Integer::sum);
    }
    lastAnswer = Math.max(lastAnswer, System.nanoTime());
  }

  private void close(Connection c) {
    open.remove(c);
    idle.remove(c);
    c.slot = -1;
    try {
      c.channel.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  private static String reason(IOException e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  @Override
  public void close() throws IOException {
    for (Connection c : Set.copyOf(open)) {
      close(c);
    }
    selector.close();
  }

  /** One keep-alive connection and the response it is reading. */
  private static final class Connection {
    final SocketChannel channel;
    SelectionKey key;
    ByteBuffer out;
    ByteBuffer in = ByteBuffer.allocate(16 * 1024);
    int slot = -1;
    boolean reused;
    boolean closeAfter;
    int headerEnd;
    int status;
    long contentLength;
    boolean chunked;
    int cursor;

    Connection(SocketChannel channel) {
      this.channel = channel;
    }

    /** The status once the whole response is in {@link #in}, else 0. */
    int complete() {
      byte[] b = in.array();
      int limit = in.position();
      if (headerEnd < 0) {
        int end = indexOf(b, 0, limit, "\r\n\r\n");
        if (end < 0) {
          return 0;
        }
        headerEnd = end + 4;
        String head = new String(b, 0, end, StandardCharsets.ISO_8859_1);
        status = Integer.parseInt(head.substring(9, 12));
        contentLength = -1;
        chunked = false;
        closeAfter = false;
        for (String line : head.split("\r\n")) {
          int colon = line.indexOf(':');
          if (colon < 0) {
            continue;
          }
          String name = line.substring(0, colon).trim();
          String value = line.substring(colon + 1).trim();
          if (name.equalsIgnoreCase("Content-Length")) {
            contentLength = Long.parseLong(value);
          } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
            chunked = value.equalsIgnoreCase("chunked");
          } else if (name.equalsIgnoreCase("Connection")) {
            closeAfter = value.equalsIgnoreCase("close");
          }
        }
        cursor = headerEnd;
      }
      if (chunked) {
        while (true) {
          int lineEnd = indexOf(b, cursor, limit, "\r\n");
          if (lineEnd < 0) {
            return 0;
          }
          String size = new String(b, cursor, lineEnd - cursor, StandardCharsets.ISO_8859_1);
          int semicolon = size.indexOf(';');
          long length = Long.parseLong(semicolon < 0 ? size : size.substring(0, semicolon), 16);
          if (length == 0) {
            // No trailers are sent: the last chunk is followed by one empty line.
            return lineEnd + 4 <= limit ? status : 0;
          }
          long next = lineEnd + 2 + length + 2;
          if (next > limit) {
            return 0;
          }
          cursor = (int) next;
        }
      }
      if (contentLength >= 0) {
        return limit - headerEnd >= contentLength ? status : 0;
      }
      return status; // no body (no length, not chunked)
    }

    private static int indexOf(byte[] b, int from, int limit, String what) {
      outer:
      for (int i = from; i <= limit - what.length(); i++) {
        for (int j = 0; j < what.length(); j++) {
          if (b[i + j] != what.charAt(j)) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }
  }
}
