package dev.clipsearch.searcher.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.indexer.index.ModelMismatchException;
import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.image.ImageLimits;
import dev.clipsearch.models.image.ImagePipeline;
import dev.clipsearch.models.testing.Colors;
import dev.clipsearch.models.testing.HostileImages;
import dev.clipsearch.models.testing.TestModels;
import dev.clipsearch.searcher.api.ApiSettings;
import dev.clipsearch.searcher.encode.EncoderSettings;
import dev.clipsearch.searcher.search.SearchSettings;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The server with a real (tiny, random-weight) CLIP model on ONNX Runtime and the real image
 * decoder: text and image queries, every hostile or broken fixture image, zero-shot classification
 * and the refusal of a model that did not build the index.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealModelServerTest {

  @TempDir static Path dir;
  ClipModel model;
  SearchServer server;
  HttpClientHarness http;

  static RuntimeOptions cpu() {
    return RuntimeOptions.defaults().withDevice(Device.CPU).withIntraOpThreads(1);
  }

  @BeforeAll
  void start() throws IOException {
    model = ClipModels.load(TestModels.tiny(TestModels.Layout.HF), cpu());
    ImagePipeline images =
        ImagePipeline.of(new ImageLimits(40_000_000), model.spec().preprocess(), 0);
    TestCatalog.write(dir.resolve("index"), model, images, TestCatalog.SHOP);
    server = SearchServer.start(config(), model, images, images);
    http = new HttpClientHarness("http://127.0.0.1:" + server.port());
  }

  static ServerConfig config() {
    return new ServerConfig(
        dir.resolve("index"),
        "tiny",
        "127.0.0.1",
        0,
        "cpu",
        ApiSettings.defaults(),
        EncoderSettings.defaults(1),
        SearchSettings.defaults(),
        40_000_000,
        Duration.ofSeconds(10));
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void a_query_longer_than_the_model_context_is_searched_cut_and_reported_truncated() {
    int context = model.spec().contextLength();
    String longQuery = "red ".repeat(context).strip(); // under the server's character limit
    Reply cut = http.get("/api/search?mode=vector&q=" + enc(longQuery));
    assertEquals(200, cut.status(), cut.toString());
    assertTrue(cut.json().at("/query/truncated").asBoolean(), cut.toString());
    assertEquals(longQuery, cut.json().at("/query/text").asText());
    Reply whole = http.get("/api/search?mode=vector&q=" + enc("red hat"));
    assertFalse(whole.json().at("/query/truncated").asBoolean(), whole.toString());
  }

  @Test
  void text_queries_are_encoded_by_the_model_and_return_every_product_once() {
    Reply reply = http.get("/api/search?q=a+photo+of+a+red+thing&mode=vector&k=10");
    assertEquals(200, reply.status(), reply.toString());
    List<String> ids = new ArrayList<>();
    reply.json().get("hits").forEach(h -> ids.add(h.get("id").asText()));
    assertEquals(8, ids.size());
    assertEquals(8, ids.stream().distinct().count());
    double previous = Double.MAX_VALUE;
    for (JsonNode hit : reply.json().get("hits")) {
      double score = hit.get("score").asDouble();
      assertTrue(score <= previous && score >= -1 && score <= 1, reply.toString());
      previous = score;
    }
  }

  @Test
  void an_image_query_finds_the_product_made_from_the_same_image() {
    for (String colour : List.of("orange", "purple")) {
      Reply reply =
          http.post(
              "/api/search/image?k=1",
              new Multipart().file("image", "q.png", "image/png", Colors.png(colour)));
      String expected = colour.equals("orange") ? "p-ball" : "p-lamp";
      assertEquals(expected, reply.json().at("/hits/0/id").asText(), reply.toString());
      assertEquals(1.0, reply.json().at("/hits/0/score").asDouble(), 1e-4);
    }
  }

  @Test
  void an_upload_that_decodes_but_is_too_elongated_to_resize_is_a_415_naming_the_reason() {
    // 1 x 10,000,000 pixels: under the pixel limit, but the long side cannot be resized
    Reply reply =
        http.post(
            "/api/search/image",
            new Multipart()
                .file("image", "line.png", "image/png", HostileImages.tooElongatedPng()));
    assertEquals(415, reply.status(), reply.toString());
    assertEquals("unsupported_format", reply.error().get("code").asText(), reply.toString());
    String message = reply.error().get("message").asText();
    assertTrue(message.contains("too elongated"), message);
    assertTrue(reply.header("content-type").contains("json"), reply.toString());
  }

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource({
    "cmyk.jpg, 200, ",
    "exif_orientation_6.jpg, 200, ",
    "progressive.jpg, 200, ",
    "chelsea.webp, 200, ",
    "gray16.png, 200, ",
    "gray16.tif, 200, ",
    "palette_10x10.png, 200, ",
    "animated_tiny.gif, 200, ",
    "rgba_logo.png, 200, ",
    "rgba_horse.png, 200, ",
    "truncated.jpg, 400, corrupt_image",
    "png_cut_in_half.png, 400, corrupt_image",
    "empty.jpg, 400, empty_image",
    "not_an_image.jpg, 415, unsupported_format",
    "png_header_claims_100000x100000.png, 400, too_many_pixels",
    "bomb_30000x30000.png, 400, too_many_pixels",
  })
  void every_robustness_fixture_is_searched_or_refused_with_its_reason(
      String file, int status, String code) throws IOException {
    byte[] bytes = Files.readAllBytes(ServerHttpTest.fixture(file));
    Reply multipart =
        http.post(
            "/api/search/image?k=3",
            new Multipart().file("image", file, "application/octet-stream", bytes));
    assertEquals(status, multipart.status(), multipart.toString());
    if (code == null) {
      assertEquals(3, multipart.json().get("hits").size(), multipart.toString());
    } else {
      assertEquals(code, multipart.error().get("code").asText());
      assertFalse(multipart.error().get("message").asText().isBlank());
    }
    Reply raw = http.post("/api/search/image?k=3", "image/jpeg", bytes);
    assertEquals(status, raw.status(), "raw body: " + raw);
  }

  @Test
  void classification_probabilities_sum_to_one() {
    Reply reply =
        http.postJson(
            "/api/classify",
            Map.of(
                "image_base64", Base64.getEncoder().encodeToString(Colors.png("blue")),
                "labels", List.of("a cat", "two cats", "a dog", "a truck", "a couch")));
    assertEquals(200, reply.status(), reply.toString());
    double sum = 0;
    for (JsonNode label : reply.json().get("labels")) {
      sum += label.get("probability").asDouble();
    }
    assertEquals(1.0, sum, 1e-6);
  }

  @Test
  void the_server_refuses_to_start_with_a_model_that_did_not_build_the_index() {
    try (ClipModel other = ClipModels.load(TestModels.tiny(TestModels.Layout.MANIFEST), cpu())) {
      ModelMismatchException e =
          assertThrows(
              ModelMismatchException.class, () -> SearchServer.start(config(), other, null, null));
      assertTrue(e.getMessage().contains(model.id()), e.getMessage());
      assertTrue(e.getMessage().contains(other.id()), e.getMessage());
    }
  }

  private static String enc(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
