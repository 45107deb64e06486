package dev.clipsearch.models.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for the Hugging Face Hub and its CDN, on two loopback ports (two origins).
 *
 * <p>{@code GET /<repo>/resolve/<revision>/<path>} on the hub (revision {@link #COMMIT} or {@code
 * main}) answers like huggingface.co: a file kept in git is served directly with its git blob id as
 * {@code ETag}; an LFS file gets a 302 to the CDN with {@code X-Linked-Etag} (its SHA-256), {@code
 * X-Linked-Size} and {@code X-Repo-Commit}. Both origins honour {@code Range: bytes=N-} (206, or
 * 416 past the end). Faults can be injected per file: a connection cut after some bytes, a stall,
 * HTTP errors, wrong bytes, ignoring Range. Every request is recorded.
 */
public final class FakeHub implements AutoCloseable {

  /** The commit every fake repository is at. */
  public static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

  /** One recorded request. */
  public record Request(
      String origin,
      String path,
      Optional<String> range,
      Optional<String> authorization,
      int status) {}

  /** A file the fake serves, with its injectable faults. */
  public static final class Served {
    final String path;
    final byte[] content;
    final boolean lfs;
    volatile int cutsLeft;
    volatile int cutAfter;
    volatile int stallsLeft;
    volatile int stallAfter;
    volatile int failuresLeft;
    volatile int failureStatus;
    volatile boolean corrupt;
    volatile boolean ignoreRange;

    Served(String path, byte[] content, boolean lfs) {
      this.path = path;
      this.content = content;
      this.lfs = lfs;
    }

    /** The next {@code times} content responses stop after {@code bytes} bytes of body. */
    public Served cutAfter(int bytes, int times) {
      cutAfter = bytes;
      cutsLeft = times;
      return this;
    }

    /** The next {@code times} content responses send {@code bytes} bytes and then go silent. */
    public Served stallAfter(int bytes, int times) {
      stallAfter = bytes;
      stallsLeft = times;
      return this;
    }

    /** The next {@code times} hub requests for this file answer {@code status}. */
    public Served fail(int status, int times) {
      failureStatus = status;
      failuresLeft = times;
      return this;
    }

    /** Serve bytes that do not match the advertised digest. */
    public Served corrupt(boolean value) {
      corrupt = value;
      return this;
    }

    /** Answer every Range request with the whole file (200). */
    public Served ignoreRange(boolean value) {
      ignoreRange = value;
      return this;
    }

    public byte[] content() {
      return content.clone();
    }

    public String sha256() {
      return hex("SHA-256", content);
    }

    String gitBlobSha1() {
      byte[] header = ("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII);
      byte[] all = new byte[header.length + content.length];
      System.arraycopy(header, 0, all, 0, header.length);
      System.arraycopy(content, 0, all, header.length, content.length);
      return hex("SHA-1", all);
    }
  }

  private final String repository;
  private volatile String formerRepository;
  private final HttpServer hub;
  private final HttpServer cdn;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final CountDownLatch releaseStalls = new CountDownLatch(1);
  private final Map<String, Served> files = new LinkedHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  public FakeHub(String repository) throws IOException {
    this.repository = repository;
    InetAddress loopback = InetAddress.getLoopbackAddress();
    hub = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
    cdn = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
    hub.createContext("/", this::handleHub);
    cdn.createContext("/", this::handleCdn);
    hub.setExecutor(executor);
    cdn.setExecutor(executor);
    hub.start();
    cdn.start();
  }

  /**
   * Makes {@code /<former>/resolve/...} answer a same-host 307 to this repository, as the Hub does
   * for a renamed repository.
   */
  public void renamedFrom(String former) {
    formerRepository = former;
  }

  /** Adds a file; {@code lfs} files are redirected to the CDN. */
  public synchronized Served add(String path, byte[] content, boolean lfs) {
    Served served = new Served(path, content, lfs);
    files.put(path, served);
    return served;
  }

  public synchronized Served file(String path) {
    return files.get(path);
  }

  /** The hub's base URL, for {@link HubConfig#endpoint()}. */
  public URI endpoint() {
    return URI.create("http://" + hostPort(hub));
  }

  public String hubOrigin() {
    return hostPort(hub);
  }

  public String cdnOrigin() {
    return hostPort(cdn);
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /**
   * Requests whose path ends with {@code suffix} (an LFS file's CDN path ends with its SHA-256).
   */
  public List<Request> requestsFor(String suffix) {
    List<Request> found = new ArrayList<>();
    for (Request r : requests) {
      if (r.path().endsWith(suffix)) {
        found.add(r);
      }
    }
    return found;
  }

  /**
   * A registry entry for the files added so far: LFS files in {@code onnx/} are the weights of the
   * fp32 variant, everything else is shared; LFS files are pinned when {@code pinLfs}, files kept
   * in git never are (they are checked against the git blob id the hub reports).
   */
  public synchronized KnownModel model(String name, boolean pinLfs) {
    List<RemoteFile> shared = new ArrayList<>();
    List<RemoteFile> weights = new ArrayList<>();
    for (Served f : files.values()) {
      RemoteFile remote =
          f.lfs && pinLfs
              ? RemoteFile.pinned(f.path, f.content.length, f.sha256())
              : RemoteFile.unpinned(f.path);
      (f.path.startsWith("onnx/") ? weights : shared).add(remote);
    }
    return new KnownModel(
        name,
        List.of("fake/" + name),
        "a fake model of random bytes",
        repository,
        COMMIT,
        shared,
        Map.of(ModelVariant.FP32, weights),
        ModelVariant.FP32);
  }

  @Override
  public void close() {
    releaseStalls.countDown();
    hub.stop(0);
    cdn.stop(0);
    executor.shutdownNow();
  }

  private void handleHub(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    // The main branch resolves to the commit, as on the hub (for entries that follow main).
    String prefix =
        "/" + repository + "/resolve/" + (path.contains("/resolve/main/") ? "main" : COMMIT) + "/";
    String former = formerRepository;
    if (former != null && path.startsWith("/" + former + "/resolve/")) {
      ex.getResponseHeaders()
          .set("Location", "/" + repository + path.substring(former.length() + 1));
      respond(ex, "hub", 307);
      return;
    }
    Served file = path.startsWith(prefix) ? file(path.substring(prefix.length())) : null;
    if (file == null) {
      ex.getResponseHeaders().set("X-Error-Message", "Entry not found");
      respond(ex, "hub", 404);
      return;
    }
    if (file.failuresLeft > 0) {
      file.failuresLeft--;
      ex.getResponseHeaders().set("Retry-After", "0");
      respond(ex, "hub", file.failureStatus);
      return;
    }
    ex.getResponseHeaders().set("X-Repo-Commit", COMMIT);
    if (file.lfs) {
      ex.getResponseHeaders().set("X-Linked-Etag", "\"" + file.sha256() + "\"");
      ex.getResponseHeaders().set("X-Linked-Size", Integer.toString(file.content.length));
      ex.getResponseHeaders().set("ETag", "\"" + file.gitBlobSha1() + "\"");
      ex.getResponseHeaders().set("Location", "http://" + cdnOrigin() + "/cdn/" + file.sha256());
      respond(ex, "hub", 302);
      return;
    }
    ex.getResponseHeaders().set("ETag", "\"" + file.gitBlobSha1() + "\"");
    serveContent(ex, "hub", file);
  }

  private void handleCdn(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    Served file = null;
    synchronized (this) {
      for (Served f : files.values()) {
        if (path.equals("/cdn/" + f.sha256())) {
          file = f;
        }
      }
    }
    if (file == null) {
      respond(ex, "cdn", 404);
      return;
    }
    ex.getResponseHeaders().set("ETag", "\"cdn-etag-not-a-digest\"");
    serveContent(ex, "cdn", file);
  }

  private void serveContent(HttpExchange ex, String origin, Served file) throws IOException {
    byte[] body = file.content;
    if (file.corrupt) {
      body = body.clone();
      for (int i = 0; i < body.length; i += 4096) {
        body[i] ^= 0x5A;
      }
    }
    String rangeHeader = ex.getRequestHeaders().getFirst("Range");
    Matcher range = rangeHeader == null ? null : RANGE.matcher(rangeHeader);
    int start = 0;
    int status = 200;
    if (range != null && range.matches() && !file.ignoreRange) {
      start = Integer.parseInt(range.group(1));
      if (start >= body.length) {
        ex.getResponseHeaders().set("Content-Range", "bytes */" + body.length);
        respond(ex, origin, 416);
        return;
      }
      status = 206;
      ex.getResponseHeaders()
          .set("Content-Range", "bytes " + start + "-" + (body.length - 1) + "/" + body.length);
    }
    record(ex, origin, status);
    int length = body.length - start;
    ex.sendResponseHeaders(status, length);
    OutputStream out = ex.getResponseBody();
    if (file.cutsLeft > 0) {
      file.cutsLeft--;
      out.write(body, start, Math.min(file.cutAfter, length));
      out.flush();
      throw new IOException("fake hub: cutting the connection"); // the server drops it
    }
    if (file.stallsLeft > 0) {
      file.stallsLeft--;
      out.write(body, start, Math.min(file.stallAfter, length));
      out.flush();
      try {
        releaseStalls.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("fake hub: stalled connection dropped");
    }
    out.write(body, start, length);
    out.close();
  }

  private void respond(HttpExchange ex, String origin, int status) throws IOException {
    record(ex, origin, status);
    ex.sendResponseHeaders(status, -1);
    ex.close();
  }

  private void record(HttpExchange ex, String origin, int status) {
    requests.add(
        new Request(
            origin,
            ex.getRequestURI().getPath(),
            Optional.ofNullable(ex.getRequestHeaders().getFirst("Range")),
            Optional.ofNullable(ex.getRequestHeaders().getFirst("Authorization")),
            status));
  }

  private static String hostPort(HttpServer server) {
    InetSocketAddress address = server.getAddress();
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }

  /** {@code length} seeded random bytes. */
  public static byte[] randomBytes(long seed, int length) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static String hex(String algorithm, byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
