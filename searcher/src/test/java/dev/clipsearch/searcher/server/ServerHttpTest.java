package dev.clipsearch.searcher.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.models.testing.Colors;
import dev.clipsearch.models.testing.FakeClipModel;
import dev.clipsearch.searcher.api.ApiSettings;
import dev.clipsearch.searcher.encode.EncoderSettings;
import dev.clipsearch.searcher.search.SearchSettings;
import dev.clipsearch.searcher.testing.FakeImageProcessor;
import dev.clipsearch.searcher.testing.HttpClientHarness;
import dev.clipsearch.searcher.testing.HttpClientHarness.Multipart;
import dev.clipsearch.searcher.testing.HttpClientHarness.Reply;
import dev.clipsearch.searcher.testing.TestCatalog;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The whole server over HTTP on a free loopback port: real index, real service, real limits. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerHttpTest {

  static final String TOKEN = "test-admin-token";
  static final long MAX_IMAGE_BYTES = 512 * 1024;

  @TempDir static Path dir;
  final FakeClipModel model = new FakeClipModel();
  SearchServer server;
  HttpClientHarness http;

  @BeforeAll
  void start() throws IOException {
    TestCatalog.write(dir.resolve("index"), model, TestCatalog.SHOP);
    ServerConfig config =
        new ServerConfig(
            dir.resolve("index"),
            "fake",
            "127.0.0.1",
            0,
            "cpu",
            ApiSettings.defaults().withMaxImageBytes(MAX_IMAGE_BYTES).withAdminToken(TOKEN),
            new EncoderSettings(1, 1, 1000, 1000, Duration.ofSeconds(30), Duration.ofSeconds(2)),
            SearchSettings.defaults(),
            40_000_000,
            Duration.ofSeconds(10));
    server =
        SearchServer.start(
            config,
            model,
            new FakeImageProcessor(config.maxImagePixels(), false),
            new FakeImageProcessor(config.maxImagePixels(), true));
    http = new HttpClientHarness("http://127.0.0.1:" + server.port());
  }

  @AfterAll
  void stop() {
    model.open();
    server.close();
  }

  static Path fixture(String name) {
    return Path.of(System.getProperty("clipsearch.shared"), "fixtures", "image-robustness", name);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void text_search_returns_ranked_products_with_facets_and_timings() {
    Reply reply = http.get("/api/search?q=red&mode=vector&k=2");
    assertEquals(200, reply.status(), reply.toString());
    JsonNode body = reply.json();
    assertEquals("p-red-hat", body.at("/hits/0/id").asText());
    assertEquals("p-red-shoe", body.at("/hits/1/id").asText());
    assertEquals(1.0, body.at("/hits/0/score").asDouble(), 1e-5);
    assertEquals("/api/products/p-red-hat/thumbnail", body.at("/hits/0/thumbnail_url").asText());
    assertTrue(body.at("/paging/has_more").asBoolean());
    assertTrue(body.at("/facets/brands").size() > 0);
    assertTrue(body.at("/timings/total_ms").asDouble() > 0);
  }

  @Test
  void a_very_long_query_is_truncated_not_rejected() {
    String q = "red leather sneakers with white soles ".repeat(800);
    Reply reply = http.get("/api/search?q=" + enc(q));
    assertEquals(200, reply.status(), reply.toString());
    assertTrue(reply.json().at("/query/truncated").asBoolean());
    assertEquals(1000, reply.json().at("/query/text").asText().length());
  }

  @Test
  void filters_are_applied_and_a_malformed_one_is_named() {
    Reply reply = http.get("/api/search?q=red&mode=vector&brand=Hatco&k=10");
    assertEquals(1, reply.json().get("hits").size(), reply.toString());
    Reply bad = http.get("/api/search?q=red&price_max=cheap");
    assertEquals(400, bad.status());
    assertEquals("price_max", bad.error().get("parameter").asText());
  }

  @Test
  void image_upload_finds_the_product_of_the_same_colour() {
    Reply reply =
        http.post(
            "/api/search/image?k=1",
            new Multipart().file("image", "q.png", "image/png", Colors.png("blue")));
    assertEquals(200, reply.status(), reply.toString());
    assertEquals("p-blue-shoe", reply.json().at("/hits/0/id").asText());
  }

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource({
    "empty.jpg, 400, empty_image",
    "not_an_image.jpg, 415, unsupported_format",
    "png_header_claims_100000x100000.png, 400, too_many_pixels",
    "bomb_30000x30000.png, 400, too_many_pixels",
  })
  void a_broken_or_hostile_upload_is_refused_with_a_reason(String file, int status, String code)
      throws IOException {
    Reply reply = http.post("/api/search/image", "image/png", Files.readAllBytes(fixture(file)));
    assertEquals(status, reply.status(), reply.toString());
    assertEquals(code, reply.error().get("code").asText(), reply.toString());
    assertFalse(reply.error().get("message").asText().isBlank());
  }

  @Test
  void an_upload_over_the_size_cap_is_413() {
    byte[] big = new byte[(int) MAX_IMAGE_BYTES + 1];
    Reply reply =
        http.post("/api/search/image", new Multipart().file("image", "big.png", "image/png", big));
    assertEquals(413, reply.status(), reply.toString());
    assertEquals("payload_too_large", reply.error().get("code").asText());
  }

  @Test
  void similar_product_and_thumbnail_routes_answer_and_unknown_products_are_404() {
    Reply similar = http.get("/api/products/p-red-shoe/similar?k=1");
    assertEquals("p-red-hat", similar.json().at("/hits/0/id").asText(), similar.toString());
    Reply product = http.get("/api/products/p-kite");
    assertEquals(2, product.json().get("images").size());
    Reply thumbnail = http.get("/api/products/p-kite/thumbnail?image=1");
    assertEquals(200, thumbnail.status());
    assertEquals("image/jpeg", thumbnail.header("Content-Type"));
    assertEquals(404, http.get("/api/products/nope").status());
    assertEquals(404, http.get("/api/products/nope/similar").status());
    assertEquals(404, http.get("/api/products/p-kite/thumbnail?image=9").status());
  }

  @Test
  void classify_answers_the_zero_shot_probabilities() {
    Reply reply =
        http.postJson(
            "/api/classify",
            Map.of(
                "image_base64", Base64.getEncoder().encodeToString(Colors.png("green")),
                "labels", List.of("red", "green", "blue"),
                "template", "{}"));
    assertEquals(200, reply.status(), reply.toString());
    assertEquals("green", reply.json().get("best").asText());
  }

  @Test
  void admin_upsert_is_searchable_at_once_and_delete_removes_it() {
    Multipart body =
        new Multipart()
            .field(
                "product",
                "{\"title\":\"Purple scarf\",\"brand\":\"Knitco\",\"category\":\"Clothing > Scarves\"}")
            .file("image", "s.png", "image/png", Colors.png("purple"));
    Reply created =
        http.put("/api/admin/products/p-scarf", body, "Authorization", "Bearer " + TOKEN);
    assertEquals(201, created.status(), created.toString());
    Reply found = http.get("/api/search?q=purple&mode=vector&brand=Knitco");
    assertEquals("p-scarf", found.json().at("/hits/0/id").asText(), found.toString());
    assertEquals(
        204,
        http.delete("/api/admin/products/p-scarf", "Authorization", "Bearer " + TOKEN).status());
    assertEquals(404, http.get("/api/products/p-scarf").status());
  }

  @Test
  void admin_upsert_with_a_broken_image_is_refused_and_changes_nothing() throws IOException {
    Multipart body =
        new Multipart()
            .field("product", "{\"title\":\"Ghost\"}")
            .file("image", "x.jpg", "image/jpeg", Files.readAllBytes(fixture("not_an_image.jpg")));
    Reply reply = http.put("/api/admin/products/p-ghost", body, "Authorization", "Bearer " + TOKEN);
    assertEquals(415, reply.status(), reply.toString());
    assertEquals(404, http.get("/api/products/p-ghost").status());
  }

  @Test
  void a_saturated_model_queue_answers_503_with_retry_after() throws Exception {
    // One inference thread and a queue of one: hold the first encoding at the model, let a second
    // wait in the queue, and the third is refused at once.
    model.closeGate();
    try {
      CompletableFuture<Reply> first =
          CompletableFuture.supplyAsync(() -> http.get("/api/search?q=gated+one&mode=vector"));
      assertTrue(model.awaitEntered(30), "the first query reached the model");
      CompletableFuture<Reply> second =
          CompletableFuture.supplyAsync(() -> http.get("/api/search?q=gated+two&mode=vector"));
      // /metrics does not touch the model: watch the queue fill up there.
      for (int i = 0;
          i < 3_000 && !http.get("/metrics").text().contains("clipsearch_inference_queue_depth 1");
          i++) {
        Thread.sleep(10);
      }
      Reply refused = http.get("/api/search?q=gated+three&mode=vector");
      assertEquals(503, refused.status(), refused.toString());
      assertEquals("2", refused.header("Retry-After"));
      assertEquals("overloaded", refused.error().get("code").asText());
      model.open();
      assertEquals(200, first.get(30, TimeUnit.SECONDS).status());
      assertEquals(200, second.get(30, TimeUnit.SECONDS).status());
    } finally {
      model.open();
    }
  }

  @Test
  void ready_and_metrics_report_the_index_and_the_model() {
    http.get("/api/search?q=white&mode=vector");
    Reply ready = http.get("/ready");
    assertEquals(200, ready.status());
    assertEquals("fake-clip-32", ready.json().get("model").asText());
    assertTrue(ready.json().get("products").asLong() >= TestCatalog.SHOP.size());
    String metrics = http.get("/metrics").text();
    for (String name :
        List.of(
            "clipsearch_encode_duration_seconds_bucket{input=\"text\"",
            "clipsearch_knn_duration_seconds_bucket{query=\"text\"",
            "clipsearch_index_products",
            "clipsearch_index_size_bytes",
            "clipsearch_inference_queue_depth",
            "clipsearch_http_request_duration_seconds_count{method=\"GET\",route=\"/api/search\"}")) {
      assertTrue(metrics.contains(name), name + " in\n" + metrics);
    }
  }
}
