package dev.clipsearch.indexer.cli;

import static dev.clipsearch.indexer.testing.IndexedProducts.indexed;
import static dev.clipsearch.models.testing.TestProducts.product;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.indexer.index.CatalogIndex;
import dev.clipsearch.indexer.index.IndexSettings;
import dev.clipsearch.indexer.index.IndexSnapshot;
import dev.clipsearch.indexer.tag.AttributeFile;
import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.testing.Colors;
import dev.clipsearch.models.testing.FakeClipModel;
import dev.clipsearch.models.testing.TestModels;
import dev.clipsearch.models.testing.TestProducts;
import java.awt.Color;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TagCommandTest {

  @TempDir Path tmp;

  private final FakeClipModel fake = new FakeClipModel();

  private float[] colour(String name) {
    Color c = Colors.NAMED.get(name);
    return fake.colourVector(c.getRed() / 255f, c.getGreen() / 255f, c.getBlue() / 255f);
  }

  private Path colourIndex() throws Exception {
    Path dir = tmp.resolve("index");
    try (CatalogIndex index = CatalogIndex.openOrCreate(dir, fake.spec(), IndexSettings.DEFAULTS)) {
      index.upsert(indexed(product("p-red", "Acme", "Bags", "10", List.of(), 1), colour("red")));
      index.upsert(
          indexed(
              product("p-blue", "Acme", "Bags", "10", List.of(), 2),
              colour("blue"),
              colour("blue")));
      index.commit("complete");
    }
    return dir;
  }

  private CommandRun tag(String... args) {
    return CommandRun.run(
        new TagCommand(Map.of("CLIPSEARCH_HOME", tmp.resolve("home").toString()), tmp), args);
  }

  @Test
  void tags_every_product_from_stored_vectors_and_says_no_image_was_encoded() throws Exception {
    Path index = colourIndex();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        TagCommand.tag(
            new StoreTarget.Embedded(index),
            AttributeFile.parse("colours.txt", "color: red, blue, green | {}"),
            fake,
            0.5,
            0.2,
            false,
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    assertEquals(0, code, err.toString());
    assertTrue(out.toString().contains("tagged 2 products, 2 written again"), out.toString());
    assertTrue(
        out.toString().contains("images encoded: 0 (used 3 stored image vectors)"), out.toString());
    assertTrue(
        out.toString().contains("attr.color: blue 1, red 1; unset on 0 products"), out.toString());
    assertEquals(0, fake.imageCalls());
    assertEquals(1, fake.textCalls());
    try (CatalogIndex opened = CatalogIndex.openExisting(index);
        IndexSnapshot snapshot = opened.snapshot()) {
      assertEquals(Map.of("color", "blue"), snapshot.find("p-blue").facetAttributes());
    }
    assertEquals("complete", CatalogIndex.stats(index).lastRun(), "the last run state is kept");
  }

  @Test
  void an_index_of_another_model_is_refused() throws Exception {
    Path index = colourIndex();
    StringWriter err = new StringWriter();
    int code =
        TagCommand.tag(
            new StoreTarget.Embedded(index),
            AttributeFile.parse("colours.txt", "color: red, blue"),
            new FakeClipModel("other-model"),
            0.5,
            0.2,
            false,
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true));
    assertEquals(1, code);
    assertTrue(err.toString().contains("was built with model"), err.toString());
  }

  @Test
  void a_bad_attributes_file_is_a_usage_error_naming_file_and_line() throws Exception {
    Path file = Files.writeString(tmp.resolve("attrs.txt"), "color: red, blue\nSize: s, m\n");
    CommandRun run =
        tag("--index", tmp.resolve("index").toString(), "--attributes", file.toString());
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.err().contains(file + ":2: attribute name 'Size'"), run.err());
  }

  @Test
  void thresholds_outside_zero_to_one_and_a_missing_index_are_refused() throws Exception {
    Path file = Files.writeString(tmp.resolve("attrs.txt"), "color: red, blue\n");
    CommandRun floor =
        tag("--index", tmp.toString(), "--attributes", file.toString(), "--min-confidence", "1.5");
    assertEquals(2, floor.exitCode(), floor.toString());
    assertTrue(floor.err().contains("--min-confidence must be between 0 and 1"), floor.err());
    CommandRun missing =
        tag("--index", tmp.resolve("nothing").toString(), "--attributes", file.toString());
    assertEquals(1, missing.exitCode(), missing.toString());
    assertTrue(missing.err().contains("no index"), missing.err());
  }

  @Test
  void the_command_line_runs_with_an_onnx_model_and_defaults_to_the_index_model() throws Exception {
    Path modelDir = TestModels.tiny(TestModels.Layout.HF);
    Path index = tmp.resolve("onnx-index");
    try (ClipModel model =
        ClipModels.load(modelDir, RuntimeOptions.defaults().withDevice(Device.CPU))) {
      Random random = new Random(7);
      try (CatalogIndex store =
          CatalogIndex.openOrCreate(index, model.spec(), IndexSettings.DEFAULTS)) {
        for (int i = 0; i < 3; i++) {
          store.upsert(
              indexed(
                  product("p" + i, "Acme", "Bags", "10", List.of(), 1),
                  TestProducts.unitVector(random, model.dimension())));
        }
        store.commit("complete");
      }
    }
    Path file = Files.writeString(tmp.resolve("attrs.txt"), "material: leather, wood, metal\n");
    CommandRun run =
        tag(
            "--index",
            index.toString(),
            "--attributes",
            file.toString(),
            "--model",
            modelDir.toString(),
            "--device",
            "cpu",
            "--no-progress");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("tagged 3 products"), run.toString());
    assertTrue(run.out().contains("images encoded: 0"), run.toString());
    // without --model, the index's model is looked up in the (empty) model cache by its id
    CommandRun noModel = tag("--index", index.toString(), "--attributes", file.toString());
    assertEquals(2, noModel.exitCode(), noModel.toString());
    assertTrue(noModel.err().contains("--model"), noModel.err());
  }

  @Test
  void store_options_are_those_of_the_other_commands() throws Exception {
    String file = Files.writeString(tmp.resolve("attrs.txt"), "color: red, blue\n").toString();
    CommandRun both = tag("--index", "dir", "--solr", "http://h:8983/solr", "--attributes", file);
    assertEquals(2, both.exitCode(), both.toString());
    assertTrue(both.err().contains("--index and --solr are mutually exclusive"), both.toString());
    CommandRun neither = tag("--attributes", file);
    assertEquals(2, neither.exitCode(), neither.toString());
    assertTrue(neither.err().contains("missing --index DIR"), neither.toString());
    CommandRun collection = tag("--index", "dir", "--collection", "x", "--attributes", file);
    assertEquals(2, collection.exitCode(), collection.toString());
    assertTrue(collection.err().contains("--collection needs --solr"), collection.toString());
  }

  @Test
  void an_unreachable_solr_is_one_error_naming_the_url_and_exit_code_1() throws Exception {
    String file = Files.writeString(tmp.resolve("attrs.txt"), "color: red, blue\n").toString();
    String url = "http://127.0.0.1:" + StoreOptionsTest.closedPort() + "/solr";
    CommandRun run = tag("--solr", url, "--collection", "shop", "--attributes", file);
    assertEquals(1, run.exitCode(), run.toString());
    assertTrue(run.err().startsWith("clipsearch tag: cannot reach Solr at " + url), run.toString());
    assertTrue(run.err().contains("collection 'shop'"), run.toString());
  }
}
