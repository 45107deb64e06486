package dev.clipsearch.indexer.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.clipsearch.indexer.catalog.ImageSource;
import dev.clipsearch.indexer.report.FailureReason;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Tag("network")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ImageFetcherTest {

  private static final byte[] IMAGE = new byte[5000];

  static {
    new Random(42).nextBytes(IMAGE);
  }

  @TempDir Path dir;

  private HttpServer server;
  private ExecutorService serverThreads;
  private final AtomicInteger hits = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();

  private final FetchConfig fast =
      FetchConfig.DEFAULTS
          .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5))
          .withRetries(3, Duration.ofMillis(10))
          .withMaxBytes(10_000);

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    serverThreads = Executors.newFixedThreadPool(16);
    server.setExecutor(serverThreads);
    server.createContext("/ok", exchange -> respond(exchange, 200, IMAGE, true));
    server.createContext("/missing", exchange -> respond(exchange, 404, new byte[0], true));
    server.createContext("/always500", exchange -> respond(exchange, 500, new byte[0], true));
    server.createContext(
        "/flaky",
        exchange -> {
          if (hits.get() < 3) {
            respond(exchange, 503, new byte[0], true);
          } else {
            respond(exchange, 200, IMAGE, true);
          }
        });
    server.createContext("/big", exchange -> respond(exchange, 200, new byte[20_000], true));
    server.createContext(
        "/bigchunked", exchange -> respond(exchange, 200, new byte[20_000], false));
    server.createContext(
        "/slow",
        exchange -> {
          sleep(3000);
          respond(exchange, 200, IMAGE, true);
        });
    server.createContext(
        "/busy",
        exchange -> {
          int now = inFlight.incrementAndGet();
          maxInFlight.accumulateAndGet(now, Math::max);
          sleep(100);
          inFlight.decrementAndGet();
          respond(exchange, 200, IMAGE, true);
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
    serverThreads.shutdownNow();
  }

  private void respond(HttpExchange exchange, int status, byte[] body, boolean withLength)
      throws IOException {
    hits.incrementAndGet();
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : withLength ? body.length : 0);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
    exchange.close();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private ImageSource url(String path) {
    String ref = "http://127.0.0.1:" + server.getAddress().getPort() + path;
    return new ImageSource.Remote(ref, URI.create(ref));
  }

  @Test
  void downloads_an_image() throws Exception {
    try (ImageFetcher fetcher = new ImageFetcher(fast)) {
      assertArrayEquals(IMAGE, fetcher.fetch(url("/ok")));
      assertEquals(ImageFetcher.REMOTE_FINGERPRINT, fetcher.fingerprint(url("/ok")));
    }
  }

  @Test
  void a_404_fails_at_once_without_retrying() {
    try (ImageFetcher fetcher = new ImageFetcher(fast)) {
      FetchException e = assertThrows(FetchException.class, () -> fetcher.fetch(url("/missing")));
      assertEquals(FailureReason.HTTP_ERROR, e.reason());
      assertTrue(e.getMessage().contains("HTTP 404 from http://127.0.0.1:"), e.getMessage());
      assertEquals(1, hits.get());
    }
  }

  @Test
  void a_transient_503_is_retried_until_it_succeeds() throws Exception {
    try (ImageFetcher fetcher = new ImageFetcher(fast.withRetries(4, Duration.ofMillis(10)))) {
      assertArrayEquals(IMAGE, fetcher.fetch(url("/flaky")));
      assertEquals(4, hits.get());
    }
  }

  @Test
  void a_persistent_500_fails_after_the_configured_attempts() {
    try (ImageFetcher fetcher = new ImageFetcher(fast)) {
      FetchException e = assertThrows(FetchException.class, () -> fetcher.fetch(url("/always500")));
      assertEquals(FailureReason.HTTP_ERROR, e.reason());
      assertTrue(e.getMessage().contains("(3 attempts)"), e.getMessage());
      assertEquals(3, hits.get());
    }
  }

  @Test
  void a_body_over_the_cap_fails_as_too_large_with_or_without_content_length() {
    try (ImageFetcher fetcher = new ImageFetcher(fast)) {
      for (String path : List.of("/big", "/bigchunked")) {
        FetchException e = assertThrows(FetchException.class, () -> fetcher.fetch(url(path)));
        assertEquals(FailureReason.TOO_LARGE, e.reason(), path);
        assertTrue(e.getMessage().contains("10000-byte cap"), e.getMessage());
      }
    }
  }

  @Test
  void a_server_slower_than_the_request_timeout_is_a_network_error() {
    FetchConfig impatient =
        fast.withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300))
            .withRetries(1, Duration.ofMillis(10));
    try (ImageFetcher fetcher = new ImageFetcher(impatient)) {
      FetchException e = assertThrows(FetchException.class, () -> fetcher.fetch(url("/slow")));
      assertEquals(FailureReason.NETWORK_ERROR, e.reason());
      assertTrue(e.getMessage().contains("timed out"), e.getMessage());
    }
  }

  @Test
  void an_unreachable_host_is_a_network_error_naming_the_url() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    String ref = "http://127.0.0.1:" + closedPort + "/a.jpg";
    try (ImageFetcher fetcher = new ImageFetcher(fast.withRetries(2, Duration.ofMillis(10)))) {
      FetchException e =
          assertThrows(
              FetchException.class,
              () -> fetcher.fetch(new ImageSource.Remote(ref, URI.create(ref))));
      assertEquals(FailureReason.NETWORK_ERROR, e.reason());
      assertTrue(e.getMessage().contains(ref), e.getMessage());
      assertTrue(e.getMessage().contains("(2 attempts)"), e.getMessage());
    }
  }

  @Test
  void never_sends_more_than_the_per_host_limit_at_once() throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try (ImageFetcher fetcher = new ImageFetcher(fast.withPerHostConcurrency(2))) {
      List<Future<byte[]>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(clients.submit(() -> fetcher.fetch(url("/busy"))));
      }
      for (Future<byte[]> result : results) {
        assertArrayEquals(IMAGE, result.get(60, TimeUnit.SECONDS));
      }
    } finally {
      clients.shutdownNow();
    }
    assertEquals(8, hits.get());
    assertTrue(maxInFlight.get() <= 2, "max in flight " + maxInFlight.get());
  }

  @Test
  void local_files_missing_too_large_or_directories_fail_with_their_reason() throws IOException {
    Path big = Files.write(dir.resolve("big.jpg"), new byte[10_001]);
    try (ImageFetcher fetcher = new ImageFetcher(fast)) {
      FetchException missing =
          assertThrows(
              FetchException.class,
              () -> fetcher.fetch(new ImageSource.LocalFile("x.jpg", dir.resolve("x.jpg"))));
      assertEquals(FailureReason.FILE_NOT_FOUND, missing.reason());
      assertTrue(missing.getMessage().contains("x.jpg"), missing.getMessage());
      assertEquals(
          FailureReason.TOO_LARGE,
          assertThrows(
                  FetchException.class,
                  () -> fetcher.fingerprint(new ImageSource.LocalFile("big.jpg", big)))
              .reason());
      assertEquals(
          FailureReason.FILE_NOT_FOUND,
          assertThrows(
                  FetchException.class, () -> fetcher.fetch(new ImageSource.LocalFile("dir", dir)))
              .reason());
    }
  }

  @Test
  void a_file_fingerprint_changes_with_size_or_modification_time() throws Exception {
    Path file = Files.write(dir.resolve("a.jpg"), IMAGE);
    ImageSource source = new ImageSource.LocalFile("a.jpg", file);
    try (ImageFetcher fetcher = new ImageFetcher(fast)) {
      String first = fetcher.fingerprint(source);
      assertEquals(first, fetcher.fingerprint(source));
      Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000));
      String touched = fetcher.fingerprint(source);
      assertNotEquals(first, touched);
      Files.write(file, new byte[10]);
      Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000));
      assertNotEquals(touched, fetcher.fingerprint(source));
      assertArrayEquals(new byte[10], fetcher.fetch(source));
    }
  }
}
