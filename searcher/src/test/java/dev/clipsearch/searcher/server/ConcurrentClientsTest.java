package dev.clipsearch.searcher.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.models.testing.Colors;
import dev.clipsearch.models.testing.FakeClipModel;
import dev.clipsearch.models.testing.RandomSeed;
import dev.clipsearch.searcher.api.ApiSettings;
import dev.clipsearch.searcher.encode.EncoderSettings;
import dev.clipsearch.searcher.search.SearchSettings;
import dev.clipsearch.searcher.testing.FakeImageProcessor;
import dev.clipsearch.searcher.testing.HttpClientHarness;
import dev.clipsearch.searcher.testing.HttpClientHarness.Multipart;
import dev.clipsearch.searcher.testing.HttpClientHarness.Reply;
import dev.clipsearch.searcher.testing.TestCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dozens of concurrent clients mixing every query type against one server while admin writers
 * insert, replace and delete products: no request fails, every admin write is visible to the
 * writer's next read, and the final index holds exactly the last version of every product. Bounded:
 * a fixed number of requests per client, on the loopback interface only.
 */
@ExtendWith(RandomSeed.Extension.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ConcurrentClientsTest {

  static final int SEARCH_CLIENTS = 24;
  static final int REQUESTS_PER_CLIENT = 25;
  static final int WRITERS = 4;
  static final int PRODUCTS_PER_WRITER = 9;
  static final String TOKEN = "concurrency-token";

  @TempDir Path dir;

  @Test
  void mixed_queries_and_admin_writes_run_concurrently_without_errors_or_lost_updates(
      RandomSeed seed) throws Exception {
    FakeClipModel model = new FakeClipModel();
    TestCatalog.write(dir.resolve("index"), model, TestCatalog.SHOP);
    ServerConfig config =
        new ServerConfig(
            dir.resolve("index"),
            "fake",
            "127.0.0.1",
            0,
            "cpu",
            ApiSettings.defaults().withAdminToken(TOKEN),
            new EncoderSettings(2, 1024, 64, 1000, Duration.ofSeconds(60), Duration.ofSeconds(1)),
            SearchSettings.defaults(),
            40_000_000,
            Duration.ofSeconds(30));
    List<String> failures = new ArrayList<>();
    ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    Map<String, String> expectedTitles = new ConcurrentHashMap<>();
    List<String> deleted = new ArrayList<>();
    AtomicInteger requests = new AtomicInteger();
    try (SearchServer server =
        SearchServer.start(
            config,
            model,
            new FakeImageProcessor(config.maxImagePixels(), false),
            new FakeImageProcessor(config.maxImagePixels(), true))) {
      HttpClientHarness http = new HttpClientHarness("http://127.0.0.1:" + server.port());
      ExecutorService pool = Executors.newFixedThreadPool(SEARCH_CLIENTS + WRITERS);
      List<Future<?>> tasks = new ArrayList<>();
      for (int c = 0; c < SEARCH_CLIENTS; c++) {
        Random random = seed.random(c);
        tasks.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
                    Reply reply = randomQuery(http, random);
                    requests.incrementAndGet();
                    if (reply.status() != 200) {
                      errors.add(reply.toString());
                    }
                  }
                }));
      }
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        tasks.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < PRODUCTS_PER_WRITER; i++) {
                    String id = "w" + writer + "-" + i;
                    expect(errors, http.put(path(id), product("v1 " + id, "red"), auth()), 201);
                    expect(
                        errors,
                        http.put(path(id), product("v2 " + id, "blue", "white"), auth()),
                        200);
                    Reply read = http.get("/api/products/" + id);
                    if (read.status() != 200
                        || !read.json().get("title").asText().equals("v2 " + id)) {
                      errors.add("read after write of " + id + ": " + read);
                    }
                    if (i % 3 == 0) {
                      expect(errors, http.delete(path(id), auth()), 204);
                      synchronized (deleted) {
                        deleted.add(id);
                      }
                    } else {
                      expectedTitles.put(id, "v2 " + id);
                    }
                  }
                }));
      }
      pool.shutdown();
      for (Future<?> task : tasks) {
        task.get(10, TimeUnit.MINUTES); // a guard against a hang, not a timing assertion
      }
      assertTrue(errors.isEmpty(), seed + ", failures: " + List.copyOf(errors));
      assertEquals(SEARCH_CLIENTS * REQUESTS_PER_CLIENT, requests.get());

      for (Map.Entry<String, String> e : expectedTitles.entrySet()) {
        Reply reply = http.get("/api/products/" + e.getKey());
        if (reply.status() != 200 || !e.getValue().equals(reply.json().get("title").asText())) {
          failures.add(e.getKey() + ": " + reply);
        } else if (reply.json().get("images").size() != 2) {
          failures.add(e.getKey() + " should have its 2 latest images: " + reply);
        }
      }
      for (String id : deleted) {
        if (http.get("/api/products/" + id).status() != 404) {
          failures.add(id + " was deleted but is still there");
        }
      }
      long products = http.get("/ready").json().get("products").asLong();
      assertTrue(failures.isEmpty(), seed + ": " + failures);
      assertEquals(TestCatalog.SHOP.size() + expectedTitles.size(), products, seed.toString());
    }
  }

  private static String path(String id) {
    return "/api/admin/products/" + id;
  }

  private static String[] auth() {
    return new String[] {"Authorization", "Bearer " + TOKEN};
  }

  private static void expect(ConcurrentLinkedQueue<String> errors, Reply reply, int status) {
    if (reply.status() != status) {
      errors.add("expected " + status + ": " + reply);
    }
  }

  private static Multipart product(String title, String... colours) {
    Multipart body =
        new Multipart()
            .field(
                "product",
                "{\"title\":\""
                    + title
                    + "\",\"brand\":\"Writers\",\"category\":\"Live > Updates\"}");
    for (String colour : colours) {
      body.file("image", colour + ".png", "image/png", Colors.png(colour));
    }
    return body;
  }

  private static final List<String> COLOURS = List.copyOf(Colors.NAMED.keySet());

  private static Reply randomQuery(HttpClientHarness http, Random random) {
    String colour = COLOURS.get(random.nextInt(COLOURS.size()));
    return switch (random.nextInt(9)) {
      case 0 -> http.get("/api/search?mode=vector&q=" + colour);
      case 1 -> http.get("/api/search?q=" + colour + "+shoe&k=5");
      case 2 -> http.get("/api/search?mode=lexical&q=mug&tags=sale");
      case 3 -> http.get("/api/search?q=" + colour + "&category=Clothing&price_max=100&offset=2");
      case 4 ->
          http.post(
              "/api/search/image?k=4",
              new Multipart().file("image", "q.png", "image/png", Colors.png(colour)));
      case 5 -> http.get("/api/products/p-red-shoe/similar?k=3");
      case 6 ->
          http.postJson(
              "/api/classify",
              Map.of(
                  "image_base64", Base64.getEncoder().encodeToString(Colors.png(colour)),
                  "labels", List.of("red", "green", "blue")));
      case 7 -> http.get("/api/products/p-kite");
      default -> http.get("/api/products/p-kite/thumbnail?image=1");
    };
  }
}
