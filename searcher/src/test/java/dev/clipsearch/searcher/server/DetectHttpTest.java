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
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code POST /api/detect} over HTTP on the whole server with the fake model, whose image vectors
 * are their colour: the CLIP-region detector (no detection model) finds a blue and an orange
 * rectangle on a white photo by the labels "blue" and "orange", and every malformed request is a
 * 4xx in the API's one error shape.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DetectHttpTest {

  static final long MAX_IMAGE_BYTES = 512 * 1024;
  static final Rectangle BLUE = new Rectangle(40, 50, 100, 100);
  static final Rectangle ORANGE = new Rectangle(190, 90, 100, 110);

  @TempDir static Path dir;
  final FakeClipModel model = new FakeClipModel();
  SearchServer server;
  HttpClientHarness http;
  byte[] photo;

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
            ApiSettings.defaults().withMaxImageBytes(MAX_IMAGE_BYTES),
            new EncoderSettings(1, 4, 1000, 1000, Duration.ofSeconds(60), Duration.ofSeconds(2)),
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
    photo = scene();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  /** A 320 x 240 white photo with a blue and an orange rectangle. */
  static byte[] scene() throws IOException {
    BufferedImage image = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Colors.NAMED.get("white"));
    g.fillRect(0, 0, 320, 240);
    g.setColor(Colors.NAMED.get("blue"));
    g.fill(BLUE);
    g.setColor(Colors.NAMED.get("orange"));
    g.fill(ORANGE);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  private Multipart request(String... labels) {
    Multipart body = new Multipart().file("image", "room.png", "image/png", photo);
    for (String label : labels) {
      body.field("labels", label);
    }
    return body;
  }

  private static boolean centreInside(JsonNode box, Rectangle r) {
    double cx = (box.get(0).asDouble() + box.get(2).asDouble()) / 2;
    double cy = (box.get(1).asDouble() + box.get(3).asDouble()) / 2;
    return r.contains(cx, cy);
  }

  private static JsonNode best(JsonNode detections, String label) {
    for (JsonNode d : detections) {
      if (d.get("label").asText().equals(label)) {
        return d;
      }
    }
    throw new AssertionError("no detection labelled " + label + " in " + detections);
  }

  @Test
  void finds_each_labelled_object_with_boxes_in_pixels_best_first() {
    Reply reply = http.post("/api/detect", request("blue", "orange"));
    assertEquals(200, reply.status(), reply.toString());
    JsonNode body = reply.json();
    assertEquals(320, body.at("/image/width").asInt());
    assertEquals(240, body.at("/image/height").asInt());
    assertEquals("clip-regions:fake-clip-32", body.get("detector").asText());
    JsonNode detections = body.get("detections");
    assertTrue(detections.size() >= 2, detections.toString());
    double previous = Double.MAX_VALUE;
    for (JsonNode d : detections) {
      double score = d.get("score").asDouble();
      assertTrue(score <= previous, "best first: " + detections);
      assertTrue(score > 0.1 && score <= 1, d.toString());
      assertEquals(4, d.get("box").size(), d.toString());
      assertFalse(d.has("hits"), "no hits without search=true: " + d);
      previous = score;
    }
    JsonNode blue = best(detections, "blue");
    JsonNode orange = best(detections, "orange");
    assertTrue(centreInside(blue.get("box"), BLUE), "blue box " + blue);
    assertTrue(centreInside(orange.get("box"), ORANGE), "orange box " + orange);
    for (String timing : new String[] {"decode_ms", "detect_ms", "search_ms", "total_ms"}) {
      assertTrue(body.at("/timings").has(timing), body.at("/timings").toString());
    }
  }

  @Test
  void search_true_adds_the_products_that_look_like_each_crop() {
    Reply reply =
        http.post(
            "/api/detect",
            request("blue", "orange")
                .field("search", "true")
                .field("k", "2")
                .field("max_detections", "10"));
    assertEquals(200, reply.status(), reply.toString());
    JsonNode detections = reply.json().get("detections");
    assertTrue(detections.size() <= 10, detections.toString());
    JsonNode blue = best(detections, "blue");
    JsonNode orange = best(detections, "orange");
    assertEquals(2, blue.get("hits").size(), blue.toString());
    assertEquals("p-blue-shoe", blue.at("/hits/0/id").asText(), blue.toString());
    assertEquals("p-ball", orange.at("/hits/0/id").asText(), orange.toString());
    assertEquals("/api/products/p-ball/thumbnail", orange.at("/hits/0/thumbnail_url").asText());
  }

  @Test
  void a_high_threshold_keeps_only_confident_boxes() {
    Reply all = http.post("/api/detect", request("blue", "orange").field("threshold", "0"));
    Reply few = http.post("/api/detect", request("blue", "orange").field("threshold", "0.9"));
    assertEquals(200, all.status(), all.toString());
    assertEquals(200, few.status(), few.toString());
    for (JsonNode d : few.json().get("detections")) {
      assertTrue(d.get("score").asDouble() > 0.9, d.toString());
    }
    assertTrue(
        all.json().get("detections").size() > few.json().get("detections").size(),
        all.json().get("detections").size() + " vs " + few.json().get("detections").size());
  }

  @Test
  void refuses_a_request_without_labels() {
    Reply reply = http.post("/api/detect", request());
    assertEquals(400, reply.status(), reply.toString());
    assertEquals("missing_parameter", reply.error().get("code").asText());
    assertEquals("labels", reply.error().get("parameter").asText());
  }

  @Test
  void refuses_more_than_sixteen_labels() {
    String[] labels = new String[17];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = "thing " + i;
    }
    Reply reply = http.post("/api/detect", request(labels));
    assertEquals(400, reply.status(), reply.toString());
    assertEquals("invalid_parameter", reply.error().get("code").asText());
    assertEquals("labels", reply.error().get("parameter").asText());
    assertTrue(reply.error().get("message").asText().contains("at most 16"), reply.toString());
  }

  @Test
  void refuses_an_empty_label() {
    Reply reply = http.post("/api/detect", request("blue", "  "));
    assertEquals(400, reply.status(), reply.toString());
    assertEquals("invalid_parameter", reply.error().get("code").asText());
    assertEquals("labels", reply.error().get("parameter").asText());
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "threshold, 1.5",
    "threshold, -0.1",
    "threshold, high",
    "threshold, NaN",
    "max_detections, 0",
    "max_detections, 101",
    "k, 0",
    "k, many",
    "search, maybe",
  })
  void refuses_a_bad_option_naming_it(String name, String value) {
    Reply reply = http.post("/api/detect", request("blue").field(name, value));
    assertEquals(400, reply.status(), reply.toString());
    assertEquals("invalid_parameter", reply.error().get("code").asText());
    assertEquals(name, reply.error().get("parameter").asText());
  }

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource({
    "empty.jpg, 400, empty_image",
    "not_an_image.jpg, 415, unsupported_format",
    "truncated.jpg, 400, corrupt_image",
    "bomb_30000x30000.png, 400, too_many_pixels",
  })
  void refuses_a_broken_or_hostile_image_with_its_reason(String file, int status, String code)
      throws IOException {
    byte[] bytes = Files.readAllBytes(ServerHttpTest.fixture(file));
    Reply reply =
        http.post(
            "/api/detect",
            new Multipart().file("image", file, "image/png", bytes).field("labels", "blue"));
    assertEquals(status, reply.status(), reply.toString());
    assertEquals(code, reply.error().get("code").asText());
  }

  @Test
  void refuses_an_image_over_the_upload_limit() {
    byte[] big = new byte[(int) MAX_IMAGE_BYTES + 1];
    Reply reply =
        http.post(
            "/api/detect",
            new Multipart().file("image", "big.png", "image/png", big).field("labels", "blue"));
    assertEquals(413, reply.status(), reply.toString());
    assertEquals("payload_too_large", reply.error().get("code").asText());
  }

  @Test
  void refuses_a_request_without_an_image_or_in_another_form() {
    Reply missing = http.post("/api/detect", new Multipart().field("labels", "blue"));
    assertEquals(400, missing.status(), missing.toString());
    assertEquals("image", missing.error().get("parameter").asText());
    Reply raw = http.post("/api/detect", "image/png", photo);
    assertEquals(415, raw.status(), raw.toString());
    assertEquals("unsupported_media_type", raw.error().get("code").asText());
    assertTrue(raw.error().get("message").asText().contains("multipart/form-data"), raw.toString());
  }

  @Test
  void an_exif_rotated_photo_is_measured_upright() throws IOException {
    // Stored 300 x 451 with EXIF orientation 6 (rotate 90 degrees): upright it is 451 x 300.
    byte[] bytes = Files.readAllBytes(ServerHttpTest.fixture("exif_orientation_6.jpg"));
    Reply reply =
        http.post(
            "/api/detect",
            new Multipart()
                .file("image", "exif.jpg", "image/jpeg", bytes)
                .field("labels", "blue")
                .field("threshold", "0"));
    assertEquals(200, reply.status(), reply.toString());
    assertEquals(451, reply.json().at("/image/width").asInt());
    assertEquals(300, reply.json().at("/image/height").asInt());
    for (JsonNode d : reply.json().get("detections")) {
      assertTrue(d.at("/box/2").asDouble() <= 451 + 1e-6, d.toString());
      assertTrue(d.at("/box/3").asDouble() <= 300 + 1e-6, d.toString());
    }
  }
}
