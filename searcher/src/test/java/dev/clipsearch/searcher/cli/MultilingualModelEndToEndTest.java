package dev.clipsearch.searcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.indexer.catalog.CatalogFormat;
import dev.clipsearch.indexer.cli.IndexCommand;
import dev.clipsearch.indexer.cli.IndexJob;
import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.image.ImageLimits;
import dev.clipsearch.models.image.ImagePipeline;
import dev.clipsearch.models.testing.Colors;
import dev.clipsearch.models.testing.TestModels;
import dev.clipsearch.searcher.server.SearchServer;
import dev.clipsearch.searcher.testing.HttpClientHarness;
import dev.clipsearch.searcher.testing.HttpClientHarness.Reply;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The random-weight twin of clip-ViT-B-32-multilingual-v1's layout (a DistilBERT-shaped text tower
 * with mean pooling and a safetensors Dense, the CLIP image tower in image/) through {@code index},
 * {@code serve}, German and Japanese text search and zero-shot classification. The weights are
 * random, so rankings mean nothing: the server's order is checked against the model's own vectors
 * scored by hand.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class MultilingualModelEndToEndTest {

  private static final List<String> COLOURS = List.of("red", "blue", "green", "yellow", "black");

  @TempDir static Path dir;
  static Path model;
  static SearchServer server;
  static HttpClientHarness http;
  static final Map<String, float[]> imageVectors = new HashMap<>();

  @BeforeAll
  static void indexAndServe() throws Exception {
    model = TestModels.tiny(TestModels.Layout.SENTENCE_TRANSFORMERS);
    Path images = Files.createDirectories(dir.resolve("catalog/img"));
    StringBuilder catalog = new StringBuilder();
    for (String colour : COLOURS) {
      Files.write(images.resolve(colour + ".png"), Colors.png(colour));
      catalog
          .append("{\"id\": \"")
          .append(colour)
          .append("\", \"title\": \"Schuh ")
          .append(colour)
          .append("\", \"brand\": \"Test\", \"category\": \"Schuhe\", \"price\": 10,")
          .append(" \"images\": [\"img/")
          .append(colour)
          .append(".png\"]}\n");
    }
    Path catalogFile = Files.writeString(dir.resolve("catalog/catalog.jsonl"), catalog);
    Path index = dir.resolve("index");
    StringWriter log = new StringWriter();
    int exit =
        IndexCommand.run(
            IndexJob.defaults(catalogFile, CatalogFormat.JSONL, index, model, Device.CPU),
            new PrintWriter(log),
            new PrintWriter(log));
    assertEquals(0, exit, log.toString());

    try (ClipModel clip =
        ClipModels.load(model, RuntimeOptions.defaults().withDevice(Device.CPU))) {
      ImagePipeline pipeline = ImagePipeline.of(ImageLimits.DEFAULT, clip.spec().preprocess(), 0);
      for (String colour : COLOURS) {
        float[] tensor = pipeline.process(Colors.png(colour), colour + ".png").pixels();
        imageVectors.put(colour, clip.encodeImages(List.of(tensor))[0]);
      }
    }
    server = ServeCommand.start(ServeJob.defaults(index, model, "127.0.0.1", 0, Device.CPU));
    http = new HttpClientHarness("http://127.0.0.1:" + server.port());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"rote Laufschuhe für Damen", "赤い靴", "ワイヤレスイヤホン"})
  void text_search_in_german_and_japanese_ranks_by_the_multilingual_tower(String query)
      throws IOException {
    Reply reply =
        http.get(
            "/api/search?mode=vector&k=10&q=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
    assertEquals(200, reply.status(), reply.toString());
    assertEquals(query, reply.json().at("/query/text").asText());
    List<String> ids = new ArrayList<>();
    reply.json().get("hits").forEach(h -> ids.add(h.get("id").asText()));
    assertEquals(COLOURS.size(), ids.size(), reply.toString());

    float[] text;
    try (ClipModel clip =
        ClipModels.load(model, RuntimeOptions.defaults().withDevice(Device.CPU))) {
      text = clip.encodeTexts(List.of(query))[0];
    }
    List<String> byHand = new ArrayList<>(COLOURS);
    byHand.sort(
        (a, b) -> Double.compare(dot(text, imageVectors.get(b)), dot(text, imageVectors.get(a))));
    assertEquals(byHand, ids, "the server's order against the model's own vectors for " + query);
  }

  @Test
  void classify_scores_german_and_japanese_labels() {
    Reply reply =
        http.postJson(
            "/api/classify",
            Map.of(
                "image_base64", Base64.getEncoder().encodeToString(Colors.png("red")),
                "labels", List.of("ein roter Schuh", "ein blauer Schuh", "赤い靴", "a red shoe")));
    assertEquals(200, reply.status(), reply.toString());
    double sum = 0;
    List<String> labels = new ArrayList<>();
    for (JsonNode label : reply.json().get("labels")) {
      sum += label.get("probability").asDouble();
      labels.add(label.get("label").asText());
    }
    assertEquals(1.0, sum, 1e-6, reply.toString());
    assertTrue(labels.contains("赤い靴"), labels.toString());
    assertEquals(4, labels.size(), labels.toString());
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }
}
