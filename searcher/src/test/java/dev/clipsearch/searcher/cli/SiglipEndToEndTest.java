package dev.clipsearch.searcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.indexer.catalog.CatalogFormat;
import dev.clipsearch.indexer.cli.IndexCommand;
import dev.clipsearch.indexer.cli.IndexJob;
import dev.clipsearch.indexer.testing.MixedCatalog;
import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.ScoreFunction;
import dev.clipsearch.models.testing.TestModels;
import dev.clipsearch.searcher.server.SearchServer;
import dev.clipsearch.searcher.testing.HttpClientHarness;
import dev.clipsearch.searcher.testing.HttpClientHarness.Multipart;
import dev.clipsearch.searcher.testing.HttpClientHarness.Reply;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
import picocli.CommandLine;

/**
 * The tiny random-weight SigLIP twin through the whole product: {@code index} of a catalog with the
 * real pipeline, {@code serve} on that index, text and image search, and {@code /api/classify},
 * which reports SigLIP's sigmoid scores with the scale and bias of the model's config. The vectors
 * mean nothing (random weights); what is checked is that every stage runs with a SigLIP directory
 * and does what the model's files say.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SiglipEndToEndTest {

  private Path dir;
  private Path model;
  private MixedCatalog catalog;
  private SearchServer server;
  private HttpClientHarness http;
  private ScoreFunction scores;

  @BeforeAll
  void indexAndServe(@TempDir Path tempDir) throws Exception {
    dir = tempDir;
    model = TestModels.tinySiglip();
    try (ClipModel loaded =
        ClipModels.load(model, RuntimeOptions.defaults().withDevice(Device.CPU))) {
      scores = loaded.spec().scores();
    }
    catalog = MixedCatalog.write(dir.resolve("catalog"), 6);
    IndexJob job =
        IndexJob.defaults(
            catalog.catalog(), CatalogFormat.JSONL, dir.resolve("index"), model, Device.CPU);
    job = job.withIndexing(job.indexing().withBatchSize(4).withThreads(2, 1));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = IndexCommand.run(job, new PrintWriter(out, true), new PrintWriter(err, true));
    assertEquals(0, exit, out + "\n" + err);
    assertTrue(out.toString().contains("6 added"), out + "\n" + err);

    ServeCommand command = new ServeCommand(Map.of(), dir);
    new CommandLine(command)
        .parseArgs(
            "--index",
            dir.resolve("index").toString(),
            "--model",
            model.toString(),
            "--device",
            "cpu",
            "--port",
            "0",
            "--inference-threads",
            "1",
            "--stop-timeout",
            "5");
    server = command.start();
    http = new HttpClientHarness("http://127.0.0.1:" + server.port());
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void a_text_query_is_encoded_by_the_siglip_tower_and_ranks_every_indexed_product() {
    Reply reply = http.get("/api/search?q=red+running+shoes&mode=vector&k=20");
    assertEquals(200, reply.status(), reply.toString());
    JsonNode hits = reply.json().get("hits");
    assertEquals(catalog.good().size(), hits.size(), reply.toString());
    double previous = Double.MAX_VALUE;
    for (JsonNode hit : hits) {
      double score = hit.get("score").asDouble();
      assertTrue(score <= previous && score >= -1 && score <= 1, reply.toString());
      previous = score;
    }
  }

  @Test
  void an_image_query_finds_the_product_indexed_from_the_same_image() throws Exception {
    byte[] png = Files.readAllBytes(catalog.catalog().getParent().resolve("img/g00-0.png"));
    Reply reply =
        http.post(
            "/api/search/image?k=1", new Multipart().file("image", "q.png", "image/png", png));
    assertEquals(200, reply.status(), reply.toString());
    assertEquals("g00", reply.json().at("/hits/0/id").asText(), reply.toString());
    assertEquals(1.0, reply.json().at("/hits/0/score").asDouble(), 1e-4);
  }

  @Test
  void classify_reports_sigmoid_probabilities_from_the_models_scale_and_bias() throws Exception {
    byte[] png = Files.readAllBytes(catalog.catalog().getParent().resolve("img/g01-0.png"));
    List<String> labels = List.of("a shoe", "a red hat", "a coffee mug", "a kite");
    Reply reply =
        http.postJson(
            "/api/classify",
            Map.of("image_base64", Base64.getEncoder().encodeToString(png), "labels", labels));
    assertEquals(200, reply.status(), reply.toString());
    assertEquals("sigmoid", reply.json().get("score_function").asText(), reply.toString());
    assertEquals(ScoreFunction.Kind.SIGMOID, scores.kind());
    JsonNode rows = reply.json().get("labels");
    assertEquals(labels.size(), rows.size());
    String best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (JsonNode row : rows) {
      double similarity = row.get("similarity").asDouble();
      double expected = 1 / (1 + Math.exp(-(scores.scale() * similarity + scores.bias())));
      assertEquals(expected, row.get("probability").asDouble(), 1e-6, row.toString());
      assertEquals(expected, row.get("score").asDouble(), 1e-6, row.toString());
      if (expected > bestScore) {
        bestScore = expected;
        best = row.get("label").asText();
      }
    }
    assertEquals(best, reply.json().get("best").asText(), reply.toString());
    assertFalse(reply.json().get("labels").isEmpty());
  }
}
