package dev.clipsearch.searcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.image.ImageLimits;
import dev.clipsearch.models.image.ImagePipeline;
import dev.clipsearch.models.testing.TestModels;
import dev.clipsearch.searcher.server.SearchServer;
import dev.clipsearch.searcher.service.IndexTarget;
import dev.clipsearch.searcher.testing.HttpClientHarness;
import dev.clipsearch.searcher.testing.HttpClientHarness.Reply;
import dev.clipsearch.searcher.testing.TestCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Switches as {@code clipsearch serve} makes them, with real (tiny, random-weight) ONNX models:
 * SIGHUP re-reads the {@code --index} and {@code --model} symbolic links, and the admin route
 * resolves model names through the model cache like {@code --model} does.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ServeSwitchTest {

  static final String TOKEN = "switch-token";

  @TempDir static Path dir;
  static Path hfModel;
  static Path manifestModel;

  @BeforeAll
  static void indexes() throws IOException {
    hfModel = TestModels.tiny(TestModels.Layout.HF);
    manifestModel = TestModels.tiny(TestModels.Layout.MANIFEST);
    write(dir.resolve("index-hf"), hfModel, TestCatalog.SHOP.subList(0, 3));
    write(dir.resolve("index-manifest"), manifestModel, TestCatalog.SHOP.subList(0, 5));
  }

  private static void write(Path index, Path modelDir, List<TestCatalog.Item> items)
      throws IOException {
    try (ClipModel model =
        ClipModels.load(modelDir, RuntimeOptions.defaults().withDevice(Device.CPU))) {
      TestCatalog.write(
          index,
          model,
          ImagePipeline.of(new ImageLimits(1_000_000), model.spec().preprocess(), 0),
          items);
    }
  }

  @Test
  void sighup_switches_to_what_the_index_and_model_links_point_at_now() throws IOException {
    Path indexLink =
        Files.createSymbolicLink(dir.resolve("current-index"), dir.resolve("index-hf"));
    Path modelLink = Files.createSymbolicLink(dir.resolve("current-model"), hfModel);
    ServeJob job =
        ServeJob.defaults(indexLink, modelLink, "127.0.0.1", 0, Device.CPU).withAdminToken(TOKEN);
    try (SearchServer server = ServeCommand.start(job, name -> Path.of(name))) {
      HttpClientHarness http = new HttpClientHarness("http://127.0.0.1:" + server.port());
      Reply before = http.get("/ready");
      assertEquals(3, before.json().get("products").asInt(), before.toString());
      IndexTarget target = new IndexTarget(indexLink, modelLink.toString());

      ReloadSignal.reload(server, target); // the links still point at the served index: refused
      assertEquals(before.json(), http.get("/ready").json());

      Files.delete(indexLink);
      Files.createSymbolicLink(indexLink, dir.resolve("index-manifest"));
      Files.delete(modelLink);
      Files.createSymbolicLink(modelLink, manifestModel);
      ReloadSignal.reload(server, target);
      Reply after = http.get("/ready");
      assertEquals(5, after.json().get("products").asInt(), after.toString());
      assertNotEquals(before.json().get("model"), after.json().get("model"), after.toString());
      assertEquals(200, http.get("/api/search?q=red+shoe").status());
    }
  }

  @Test
  void the_admin_route_resolves_models_as_serve_does_and_names_an_unknown_one() throws IOException {
    ServeJob job =
        ServeJob.defaults(dir.resolve("index-hf"), hfModel, "127.0.0.1", 0, Device.CPU)
            .withAdminToken(TOKEN);
    Path emptyHome = Files.createDirectories(dir.resolve("empty-home"));
    try (SearchServer server =
        ServeCommand.start(
            job,
            ServeCommand.modelResolver(Map.of("CLIPSEARCH_HOME", emptyHome.toString()), dir))) {
      HttpClientHarness http = new HttpClientHarness("http://127.0.0.1:" + server.port());
      String[] auth = {"Authorization", "Bearer " + TOKEN};
      Reply unknown =
          http.postJson(
              "/api/admin/index",
              Map.of("index", dir.resolve("index-manifest").toString(), "model", "no-such-model"),
              auth);
      assertEquals(422, unknown.status(), unknown.toString());
      assertEquals("model_unusable", unknown.error().get("code").asText());
      assertTrue(unknown.error().get("message").asText().contains("no-such-model"), unknown.text());

      Reply mismatch =
          http.postJson(
              "/api/admin/index",
              Map.of(
                  "index", dir.resolve("index-manifest").toString(), "model", hfModel.toString()),
              auth);
      assertEquals(422, mismatch.status(), mismatch.toString());
      assertEquals("model_mismatch", mismatch.error().get("code").asText());

      Reply switched =
          http.postJson(
              "/api/admin/index",
              Map.of(
                  "index", dir.resolve("index-manifest").toString(),
                  "model", manifestModel.toString()),
              auth);
      assertEquals(200, switched.status(), switched.toString());
      assertEquals(5, http.get("/ready").json().get("products").asInt());
      assertEquals(
          switched.json().get("model").asText(), http.get("/ready").json().get("model").asText());
    }
  }
}
