package dev.clipsearch.searcher.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ModelLoadException;
import dev.clipsearch.models.ModelSpec;
import dev.clipsearch.models.testing.Colors;
import dev.clipsearch.models.testing.FakeClipModel;
import dev.clipsearch.models.testing.RandomSeed;
import dev.clipsearch.searcher.api.ApiSettings;
import dev.clipsearch.searcher.encode.EncoderSettings;
import dev.clipsearch.searcher.search.SearchSettings;
import dev.clipsearch.searcher.service.IndexTarget;
import dev.clipsearch.searcher.testing.FakeImageProcessor;
import dev.clipsearch.searcher.testing.HttpClientHarness;
import dev.clipsearch.searcher.testing.HttpClientHarness.Multipart;
import dev.clipsearch.searcher.testing.HttpClientHarness.Reply;
import dev.clipsearch.searcher.testing.TestCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Switching the served index and model while clients query: {@code POST /api/admin/index} from
 * index A (fake model A, 32 dimensions) to index B (fake model B, 16 dimensions) and back, and
 * failed switches in between, under 16 concurrent clients. No request fails; a request that starts
 * after a switch answered is served by the new index; a failed switch leaves the old one serving.
 * Bounded: each client stops after a fixed number of requests or when told, on loopback only.
 */
@ExtendWith(RandomSeed.Extension.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ModelSwitchTest {

  static final int CLIENTS = 16;
  static final int MAX_REQUESTS_PER_CLIENT = 2_000;
  static final String TOKEN = "switch-token";

  /** Index B holds the shop's products under other ids, so every hit says where it came from. */
  static final String B_PREFIX = "b-";

  @TempDir Path dir;

  /** The index that serves between two switches, or null while one runs; compared by identity. */
  private record Phase(String index) {}

  /** Models by the name a switch gives; each open makes a new instance, as loading would. */
  private final Map<String, ClipModel> opened = new ConcurrentHashMap<>();

  @Test
  void switching_back_and_forth_under_16_clients_loses_no_request(RandomSeed seed)
      throws Exception {
    Path indexA = dir.resolve("index-a");
    Path indexB = dir.resolve("index-b");
    writeIndexes(indexA, indexB);
    ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    AtomicInteger requests = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    // What a request must be served by when this phase lasted from before it was sent until after
    // its answer: "a" or "b", or null while a switch runs. A new phase is a new object, so a
    // request
    // that overlaps a switch (sent in one phase, taken by the server in the next) is not judged.
    AtomicReference<Phase> expected = new AtomicReference<>(new Phase("a"));
    try (SearchServer server = SearchServer.start(config(indexA, "fake-a"), this::open)) {
      HttpClientHarness http = new HttpClientHarness("http://127.0.0.1:" + server.port());
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
      List<Future<?>> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        Random random = seed.random(c);
        clients.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < MAX_REQUESTS_PER_CLIENT && !stop.get(); i++) {
                    Phase phase = expected.get();
                    String query = randomQuery(random);
                    Reply reply = send(http, query, random);
                    requests.incrementAndGet();
                    if (reply.status() != 200) {
                      errors.add(query + " -> " + reply);
                    } else if (phase.index() != null
                        && expected.get() == phase
                        && !servedBy(query, reply).equals(phase.index())) {
                      errors.add(
                          query
                              + " sent and answered while "
                              + phase.index()
                              + " was serving, but got "
                              + reply);
                    }
                  }
                }));
      }
      pool.shutdown();
      awaitRequests(requests, 200);

      expected.set(new Phase(null)); // while a switch runs, either index may answer
      Reply toB = switchTo(http, indexB, "fake-b");
      assertEquals(200, toB.status(), toB.toString());
      assertEquals("fake-b-16", toB.json().get("model").asText());
      assertEquals(16, toB.json().get("dimension").asInt());
      assertEquals("fake-a", toB.json().get("previous_model").asText());
      assertEquals(2, toB.json().get("generation").asInt());
      expected.set(new Phase("b"));
      Reply ready = http.get("/ready");
      assertEquals("fake-b-16", ready.json().get("model").asText(), ready.toString());
      assertEquals(16, ready.json().get("dimension").asInt());
      awaitRequests(requests, requests.get() + 200);

      Reply missing = switchTo(http, dir.resolve("no-such-index"), "fake-a");
      assertEquals(422, missing.status(), missing.toString());
      assertEquals("index_unusable", missing.error().get("code").asText());
      assertTrue(missing.error().get("message").asText().contains("no-such-index"), missing.text());
      Reply mismatch = switchTo(http, indexA, "fake-b");
      assertEquals(422, mismatch.status(), mismatch.toString());
      assertEquals("model_mismatch", mismatch.error().get("code").asText());
      Reply broken = switchTo(http, indexA, "broken");
      assertEquals(422, broken.status(), broken.toString());
      assertEquals("model_unusable", broken.error().get("code").asText());
      assertTrue(broken.error().get("message").asText().contains("no model.onnx"), broken.text());
      Reply coldB = switchTo(http, indexA, "fails-warmup");
      assertEquals(422, coldB.status(), coldB.toString());
      assertEquals("warmup_failed", coldB.error().get("code").asText());
      Reply same = switchTo(http, indexB, "fake-b");
      assertEquals(409, same.status(), same.toString());
      assertEquals("already_serving", same.error().get("code").asText());
      awaitRequests(requests, requests.get() + 200);

      expected.set(new Phase(null));
      Reply toA = switchTo(http, indexA, "fake-a");
      assertEquals(200, toA.status(), toA.toString());
      assertEquals("fake-a", toA.json().get("model").asText());
      assertEquals(3, toA.json().get("generation").asInt());
      expected.set(new Phase("a"));
      awaitRequests(requests, requests.get() + 200);

      stop.set(true);
      for (Future<?> client : clients) {
        client.get(2, TimeUnit.MINUTES); // a guard against a hang, not a timing assertion
      }
      assertTrue(errors.isEmpty(), seed + ", " + errors.size() + " failures: " + first(errors));
      assertEquals("fake-a", http.get("/ready").json().get("model").asText());
      System.out.println(
          "ModelSwitchTest: " + requests.get() + " requests by " + CLIENTS + " clients, 0 failed");
    }
  }

  @Test
  void a_request_in_flight_finishes_on_the_index_it_started_with() throws Exception {
    Path indexA = dir.resolve("index-a");
    Path indexB = dir.resolve("index-b");
    writeIndexes(indexA, indexB);
    try (SearchServer server = SearchServer.start(config(indexA, "fake-a"), this::open)) {
      HttpClientHarness http = new HttpClientHarness("http://127.0.0.1:" + server.port());
      FakeClipModel modelA = (FakeClipModel) opened.get("fake-a");
      modelA.closeGate();
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        Future<Reply> held = pool.submit(() -> http.get("/api/search?mode=vector&q=red&k=3"));
        assertTrue(modelA.awaitEntered(60), "the query never reached model A");
        // The switch neither waits for the held request nor closes its index under it.
        Reply toB = switchTo(http, indexB, "fake-b");
        assertEquals(200, toB.status(), toB.toString());
        assertEquals(B_PREFIX, firstHit(http.get("/api/search?mode=vector&q=red&k=3")), "new");
        modelA.open();
        Reply old = held.get(60, TimeUnit.SECONDS);
        assertEquals(200, old.status(), old.toString());
        assertEquals("p-", firstHit(old), "the held request should be answered from index A");
        // A closes once its request ended, so switching back to it can take its write lock.
        Reply back = switchTo(http, indexA, "fake-a");
        assertEquals(200, back.status(), back.toString());
      } finally {
        modelA.open();
        pool.shutdownNow();
      }
    }
  }

  @Test
  void admin_writes_and_gauges_follow_the_index_being_served() throws Exception {
    Path indexA = dir.resolve("index-a");
    Path indexB = dir.resolve("index-b");
    writeIndexes(indexA, indexB);
    try (SearchServer server = SearchServer.start(config(indexA, "fake-a"), this::open)) {
      HttpClientHarness http = new HttpClientHarness("http://127.0.0.1:" + server.port());
      assertEquals(200, switchTo(http, indexB, "fake-b").status());
      Multipart product =
          new Multipart()
              .field("product", "{\"title\":\"Late arrival\",\"category\":\"New\"}")
              .file("image", "red.png", "image/png", Colors.png("red"));
      Reply put = http.put("/api/admin/products/late", product, "Authorization", "Bearer " + TOKEN);
      assertEquals(201, put.status(), put.toString());
      assertEquals(200, http.get("/api/products/late").status());
      String metrics = http.get("/metrics").text();
      assertTrue(
          metrics.contains("clipsearch_index_products " + (TestCatalog.SHOP.size() + 1) + ".0"),
          metrics);

      assertEquals(200, switchTo(http, indexA, "fake-a").status());
      assertEquals(404, http.get("/api/products/late").status(), "index A never had it");
      assertEquals(4, server.switchTo(new IndexTarget(indexB, "fake-b")).generation());
      assertEquals(200, http.get("/api/products/late").status(), "index B kept it");
    }
  }

  @Test
  void switching_needs_the_admin_token_and_a_json_body() throws Exception {
    Path indexA = dir.resolve("index-a");
    Path indexB = dir.resolve("index-b");
    writeIndexes(indexA, indexB);
    try (SearchServer server = SearchServer.start(config(indexA, "fake-a"), this::open)) {
      HttpClientHarness http = new HttpClientHarness("http://127.0.0.1:" + server.port());
      Reply anonymous =
          http.postJson("/api/admin/index", Map.of("index", indexB.toString(), "model", "fake-b"));
      assertEquals(401, anonymous.status(), anonymous.toString());
      Reply noModel =
          http.postJson(
              "/api/admin/index",
              Map.of("index", indexB.toString()),
              "Authorization",
              "Bearer " + TOKEN);
      assertEquals(400, noModel.status(), noModel.toString());
      assertEquals("model", noModel.error().get("parameter").asText());
      Reply form =
          http.post(
              "/api/admin/index",
              "text/plain",
              "index-b".getBytes(StandardCharsets.UTF_8),
              "Authorization",
              "Bearer " + TOKEN);
      assertEquals(415, form.status(), form.toString());
      assertEquals("fake-a", http.get("/ready").json().get("model").asText());
    }
  }

  @Test
  void a_switch_rebuilds_the_clip_region_detector_over_the_new_model() throws Exception {
    Path indexA = dir.resolve("index-a");
    Path indexB = dir.resolve("index-b");
    writeIndexes(indexA, indexB);
    try (SearchServer server = SearchServer.start(config(indexB, "fake-b"), this::open)) {
      HttpClientHarness http = new HttpClientHarness("http://127.0.0.1:" + server.port());
      Reply onB = detect(http);
      assertEquals(200, onB.status(), onB.toString());
      assertEquals("clip-regions:fake-b-16", onB.json().get("detector").asText());
      assertEquals(B_PREFIX, firstCropHit(onB), "crops search the index being served");

      assertEquals(200, switchTo(http, indexA, "fake-a").status());
      SmallerModel modelB = (SmallerModel) opened.get("fake-b");
      assertTrue(modelB.awaitClosed(60), "the retired model B never closed");
      // Model B is closed and throws if used: detection must run over model A now.
      Reply onA = detect(http);
      assertEquals(200, onA.status(), onA.toString());
      assertEquals("clip-regions:fake-a", onA.json().get("detector").asText());
      assertEquals("p-", firstCropHit(onA), "crops search the new index");
    }
  }

  private static Reply detect(HttpClientHarness http) throws Exception {
    return http.post(
        "/api/detect",
        new Multipart()
            .file("image", "room.png", "image/png", DetectHttpTest.scene())
            .field("labels", "blue")
            .field("labels", "orange")
            .field("search", "true")
            .field("k", "1"));
  }

  /** The id prefix of the first detection's first hit. */
  private static String firstCropHit(Reply reply) {
    JsonNode detections = reply.json().get("detections");
    if (detections == null || detections.isEmpty()) {
      throw new AssertionError("no detections: " + reply);
    }
    return detections.get(0).at("/hits/0/id").asText().substring(0, 2);
  }

  private ModelOpener.Opened open(IndexTarget target) {
    ClipModel model =
        switch (target.model()) {
          case "fake-a" -> new FakeClipModel("fake-a");
          case "fake-b" -> new SmallerModel(new FakeClipModel("fake-b"), "fake-b-16", 16, false);
          case "fails-warmup" ->
              new SmallerModel(
                  new FakeClipModel("fake-a"), "fake-a", FakeClipModel.DIMENSION, true);
          case "broken" ->
              throw new ModelLoadException("no model.onnx in " + dir.resolve("broken-model"));
          default -> throw new IllegalArgumentException("unknown model '" + target.model() + "'");
        };
    opened.put(target.model(), model);
    return new ModelOpener.Opened(
        model, new FakeImageProcessor(1L << 26, false), new FakeImageProcessor(1L << 26, true));
  }

  private static void writeIndexes(Path indexA, Path indexB) throws Exception {
    TestCatalog.write(indexA, new FakeClipModel("fake-a"), TestCatalog.SHOP);
    List<TestCatalog.Item> shopB = new ArrayList<>();
    for (TestCatalog.Item item : TestCatalog.SHOP) {
      shopB.add(
          new TestCatalog.Item(
              B_PREFIX + item.id(),
              item.title(),
              item.description(),
              item.brand(),
              item.category(),
              item.price(),
              item.tags(),
              item.colours()));
    }
    TestCatalog.write(
        indexB,
        new SmallerModel(new FakeClipModel("fake-b"), "fake-b-16", 16, false),
        new FakeImageProcessor(1L << 26, true),
        shopB);
  }

  private static ServerConfig config(Path index, String model) {
    return new ServerConfig(
        index,
        model,
        "127.0.0.1",
        0,
        "cpu",
        ApiSettings.defaults().withAdminToken(TOKEN),
        new EncoderSettings(2, 1024, 64, 1000, Duration.ofSeconds(60), Duration.ofSeconds(1)),
        SearchSettings.defaults(),
        40_000_000,
        Duration.ofSeconds(30));
  }

  private static Reply switchTo(HttpClientHarness http, Path index, String model) {
    return http.postJson(
        "/api/admin/index",
        Map.of("index", index.toString(), "model", model),
        "Authorization",
        "Bearer " + TOKEN);
  }

  private static final List<String> COLOURS = List.copyOf(Colors.NAMED.keySet());

  private static String randomQuery(Random random) {
    String colour = COLOURS.get(random.nextInt(COLOURS.size()));
    return switch (random.nextInt(5)) {
      case 0 -> "/api/search?mode=vector&q=" + colour;
      case 1 -> "/api/search?q=" + colour + "+shoe&k=5";
      case 2 -> "/api/search?mode=lexical&q=mug";
      case 3 -> "/api/search/image?k=4#" + colour;
      default -> "/ready";
    };
  }

  private static Reply send(HttpClientHarness http, String query, Random random) {
    if (query.startsWith("/api/search/image")) {
      String colour = query.substring(query.indexOf('#') + 1);
      return http.post(
          query.substring(0, query.indexOf('#')),
          new Multipart().file("image", "q.png", "image/png", Colors.png(colour)));
    }
    return http.get(query);
  }

  /** "a" or "b": which index answered, from the hits' ids or the model /ready names. */
  private static String servedBy(String query, Reply reply) {
    JsonNode body = reply.json();
    if (query.equals("/ready")) {
      return body.get("model").asText().equals("fake-a") ? "a" : "b";
    }
    return firstHit(reply).equals(B_PREFIX) ? "b" : "a";
  }

  /** The id prefix of the first hit: {@code p-} (index A) or {@code b-} (index B). */
  private static String firstHit(Reply reply) {
    JsonNode hits = reply.json().get("hits");
    if (hits == null || hits.isEmpty()) {
      throw new AssertionError("no hits: " + reply);
    }
    return hits.get(0).get("id").asText().substring(0, 2);
  }

  private static void awaitRequests(AtomicInteger requests, int atLeast)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (requests.get() < atLeast && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  private static List<String> first(ConcurrentLinkedQueue<String> errors) {
    return errors.stream().limit(5).toList();
  }

  /**
   * Another model over a fake one: its first {@code dimension} components, renormalized, under
   * another id; optionally failing every text encoding (a model that loads but cannot answer).
   * Encoding after {@link #close()} throws, as a closed ONNX session would.
   */
  static final class SmallerModel implements ClipModel {
    private final FakeClipModel inner;
    private final ModelSpec spec;
    private final boolean failTexts;
    private final CountDownLatch closed = new CountDownLatch(1);

    SmallerModel(FakeClipModel inner, String id, int dimension, boolean failTexts) {
      this.inner = inner;
      ModelSpec s = inner.spec();
      this.spec = new ModelSpec(id, dimension, s.contextLength(), s.preprocess(), s.logitScale());
      this.failTexts = failTexts;
    }

    @Override
    public ModelSpec spec() {
      return spec;
    }

    @Override
    public float[][] encodeTexts(List<String> texts) {
      checkOpen();
      if (failTexts) {
        throw new IllegalStateException("text tower failed: output has the wrong shape");
      }
      return cut(inner.encodeTexts(texts));
    }

    @Override
    public float[][] encodeImages(List<float[]> pixels) {
      checkOpen();
      return cut(inner.encodeImages(pixels));
    }

    private float[][] cut(float[][] vectors) {
      float[][] out = new float[vectors.length][];
      for (int i = 0; i < vectors.length; i++) {
        float[] v = Arrays.copyOf(vectors[i], spec.dimension());
        double norm = 0;
        for (float x : v) {
          norm += x * x;
        }
        for (int j = 0; j < v.length; j++) {
          v[j] = (float) (v[j] / Math.sqrt(norm));
        }
        out[i] = v;
      }
      return out;
    }

    private void checkOpen() {
      if (closed.getCount() == 0) {
        throw new IllegalStateException("model '" + spec.id() + "' used after close");
      }
    }

    boolean awaitClosed(int seconds) throws InterruptedException {
      return closed.await(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      closed.countDown();
    }
  }
}
