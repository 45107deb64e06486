package dev.clipsearch.searcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.image.ImageLimits;
import dev.clipsearch.models.image.ImagePipeline;
import dev.clipsearch.models.testing.TestModels;
import dev.clipsearch.models.testing.TinyOwlVit;
import dev.clipsearch.searcher.server.SearchServer;
import dev.clipsearch.searcher.testing.HttpClientHarness;
import dev.clipsearch.searcher.testing.HttpClientHarness.Multipart;
import dev.clipsearch.searcher.testing.HttpClientHarness.Reply;
import dev.clipsearch.searcher.testing.TestCatalog;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code clipsearch serve --detector DIR} end to end: a tiny random-weight OWL-ViT-shaped model
 * (models/generator/generate_owlvit.py) answers {@code POST /api/detect} with the documented
 * shapes, and its crops are searched in the index of a tiny CLIP model. Random weights: the boxes
 * and scores mean nothing, only their shapes and ranges are checked.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ServeDetectorEndToEndTest {

  private static final long SEED = 20261203L;
  private static final List<String> LABELS = List.of("a lamp", "a couch", "a rug");

  @TempDir static Path dir;
  static Path clip;

  @BeforeAll
  static void index() throws IOException {
    clip = TestModels.tiny(TestModels.Layout.HF);
    try (ClipModel model =
        ClipModels.load(clip, RuntimeOptions.defaults().withDevice(Device.CPU))) {
      TestCatalog.write(
          dir.resolve("index"),
          model,
          ImagePipeline.of(new ImageLimits(1_000_000), model.spec().preprocess(), 0),
          TestCatalog.SHOP);
    }
  }

  private static SearchServer serve(String... extra) throws IOException {
    ServeCommand serve = new ServeCommand(Map.of(), dir);
    CommandLine cli = new CommandLine(serve);
    cli.setOut(new PrintWriter(new StringWriter()));
    cli.setErr(new PrintWriter(new StringWriter()));
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "--index",
                dir.resolve("index").toString(),
                "--model",
                clip.toString(),
                "--port",
                "0",
                "--device",
                "cpu"));
    args.addAll(List.of(extra));
    cli.parseArgs(args.toArray(String[]::new));
    return serve.start();
  }

  /** A seeded noise photo, 200 x 120. */
  private static byte[] photo() throws IOException {
    BufferedImage image = new BufferedImage(200, 120, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(SEED);
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        image.setRGB(x, y, random.nextInt(1 << 24));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  private static Multipart request(byte[] photo) {
    Multipart body = new Multipart().file("image", "room.png", "image/png", photo);
    LABELS.forEach(label -> body.field("labels", label));
    return body;
  }

  @Test
  void an_owlvit_model_answers_with_the_documented_shapes() throws IOException {
    Path owlvit = TinyOwlVit.dir().resolve("transformersjs");
    try (SearchServer server = serve("--detector", owlvit.toString())) {
      HttpClientHarness http = new HttpClientHarness("http://127.0.0.1:" + server.port());
      Reply reply =
          http.post(
              "/api/detect",
              request(photo())
                  .field("threshold", "0")
                  .field("max_detections", "5")
                  .field("search", "true")
                  .field("k", "3"));
      assertEquals(200, reply.status(), reply.toString());
      JsonNode body = reply.json();
      assertEquals("owlvit:transformersjs", body.get("detector").asText());
      assertEquals(200, body.at("/image/width").asInt());
      assertEquals(120, body.at("/image/height").asInt());
      JsonNode detections = body.get("detections");
      assertTrue(detections.size() >= 1 && detections.size() <= 5, detections.toString());
      Set<String> catalog = new HashSet<>();
      TestCatalog.SHOP.forEach(item -> catalog.add(item.id()));
      double previous = Double.MAX_VALUE;
      for (JsonNode d : detections) {
        assertTrue(LABELS.contains(d.get("label").asText()), d.toString());
        double score = d.get("score").asDouble();
        assertTrue(score >= 0 && score <= 1 && score <= previous, detections.toString());
        previous = score;
        JsonNode box = d.get("box");
        assertEquals(4, box.size(), d.toString());
        assertTrue(box.get(0).asDouble() <= box.get(2).asDouble(), d.toString());
        assertTrue(box.get(1).asDouble() <= box.get(3).asDouble(), d.toString());
        JsonNode hits = d.get("hits");
        assertTrue(hits.isArray() && hits.size() <= 3, d.toString());
        for (JsonNode hit : hits) {
          assertTrue(catalog.contains(hit.get("id").asText()), hit.toString());
        }
      }
      assertTrue(body.at("/timings/detect_ms").asDouble() > 0, body.toString());
      assertTrue(body.at("/timings/search_ms").asDouble() > 0, body.toString());
    }
  }

  @Test
  void without_a_detector_clip_regions_over_the_search_model_answer() throws IOException {
    try (SearchServer server = serve()) {
      HttpClientHarness http = new HttpClientHarness("http://127.0.0.1:" + server.port());
      Reply reply = http.post("/api/detect", request(photo()).field("threshold", "0"));
      assertEquals(200, reply.status(), reply.toString());
      String detector = reply.json().get("detector").asText();
      assertTrue(detector.startsWith("clip-regions:"), detector);
    }
  }

  @Test
  void a_detector_name_resolves_to_its_directory_in_the_model_cache() throws IOException {
    Path home = dir.resolve("home");
    Path installed = home.resolve("models").resolve("owlvit-base-patch32");
    Files.createDirectories(installed);
    ServeCommand serve = new ServeCommand(Map.of("CLIPSEARCH_HOME", home.toString()), dir);
    new CommandLine(serve)
        .parseArgs(
            "--index",
            dir.resolve("index").toString(),
            "--model",
            clip.toString(),
            "--detector",
            "google/owlvit-base-patch32");
    assertEquals(installed, serve.job().detectorDir());
  }

  @Test
  void refuses_a_detector_that_is_not_a_directory() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new ServeCommand(Map.of(), dir));
    cli.setOut(new PrintWriter(new StringWriter()));
    cli.setErr(new PrintWriter(err, true));
    int exit =
        cli.execute(
            "--index",
            dir.resolve("index").toString(),
            "--model",
            clip.toString(),
            "--detector",
            dir.resolve("no-such-model").toString());
    assertNotEquals(0, exit);
    assertTrue(err.toString().contains("--detector"), err.toString());
  }
}
