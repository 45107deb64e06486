package dev.clipsearch.indexer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.indexer.catalog.CatalogFormat;
import dev.clipsearch.indexer.index.CatalogIndex;
import dev.clipsearch.indexer.index.IndexSnapshot;
import dev.clipsearch.indexer.pipeline.Partition;
import dev.clipsearch.indexer.store.IndexedImage;
import dev.clipsearch.indexer.tag.AttributeFile;
import dev.clipsearch.indexer.tag.AttributeTagger;
import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.Variant;
import dev.clipsearch.models.image.DecodeMode;
import dev.clipsearch.models.testing.HostileImages;
import dev.clipsearch.models.testing.TestModels;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The index, stats and delete commands end to end: the real ONNX runtime on the tiny generated
 * model, the real decoder on the shared robustness fixtures (good and broken images mixed).
 */
class IndexCommandTest {

  /** Fixtures that decode, and the reason each broken one must be rejected with. */
  static final List<String> GOOD =
      List.of(
          "cmyk.jpg",
          "exif_orientation_6.jpg",
          "progressive.jpg",
          "chelsea.webp",
          "gray16.png",
          "gray16.tif",
          "palette_10x10.png",
          "animated_tiny.gif",
          "rgba_logo.png",
          "rgba_horse.png");

  static final Map<String, String> BROKEN =
      Map.of(
          "truncated.jpg", "corrupt_image",
          "png_cut_in_half.png", "corrupt_image",
          "empty.jpg", "empty_image",
          "not_an_image.jpg", "unsupported_format",
          "png_header_claims_100000x100000.png", "too_many_pixels",
          "bomb_30000x30000.png", "too_many_pixels");

  @TempDir Path tmp;

  private Path catalog;
  private Path indexDir;
  private Path model;

  @BeforeEach
  void setUp() throws IOException {
    Path fixtures =
        Path.of(System.getProperty("clipsearch.shared"), "fixtures", "image-robustness");
    Path images = Files.createDirectories(tmp.resolve("catalog/img"));
    try (Stream<Path> files = Files.list(fixtures)) {
      for (Path file : files.filter(f -> !f.getFileName().toString().endsWith(".md")).toList()) {
        Files.copy(file, images.resolve(file.getFileName()));
      }
    }
    StringBuilder lines = new StringBuilder();
    for (String name : GOOD) {
      lines.append(line(name, "img/" + name));
    }
    for (String name : BROKEN.keySet()) {
      lines.append(line(name, "img/" + name));
    }
    lines.append(line("partial", "img/cmyk.jpg\", \"img/truncated.jpg"));
    lines.append(line("missing", "img/does-not-exist.jpg"));
    lines.append("{\"id\": \"broken-json\", \n");
    catalog = Files.writeString(tmp.resolve("catalog/catalog.jsonl"), lines.toString());
    indexDir = tmp.resolve("index");
    model = TestModels.tiny(TestModels.Layout.HF);
  }

  private static String line(String id, String image) {
    return "{\"id\": \""
        + id
        + "\", \"title\": \"Photo "
        + id
        + "\", \"brand\": \"Fixtures\","
        + " \"category\": \"Test > Images\", \"price\": 1.5, \"images\": [\""
        + image
        + "\"]}\n";
  }

  private CommandRun index(String... extra) {
    List<String> more = new ArrayList<>(List.of("--threads", "2", "--batch-size", "4"));
    more.addAll(List.of(extra));
    return CommandRun.run(
        new IndexCommand(Map.of("CLIPSEARCH_HOME", tmp.resolve("home").toString()), tmp),
        requiredOptionsAnd(more.toArray(String[]::new)));
  }

  /** The required options on the test catalog, index and model, on the CPU, --no-progress. */
  private String[] requiredOptionsAnd(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--catalog",
                catalog.toString(),
                "--index",
                indexDir.toString(),
                "--model",
                model.toString(),
                "--device",
                "cpu",
                "--no-progress"));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  @Test
  void attributes_tag_new_products_from_their_vectors_with_the_default_thresholds()
      throws Exception {
    String text = "shade: light, dark | a {} photo\nkind: photo, drawing, diagram\n";
    Path attributes = Files.writeString(tmp.resolve("attributes.txt"), text);
    CommandRun run = index("--attributes", attributes.toString());
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(
        run.err().contains("tagging new and changed products with 2 attributes from"),
        run.toString());
    // the stored attributes are what the tagger gives the stored vectors (the random-weight
    // model's choices mean nothing, but they must be these)
    try (ClipModel clip = ClipModels.load(model, RuntimeOptions.defaults().withDevice(Device.CPU));
        CatalogIndex index = CatalogIndex.openExisting(indexDir);
        IndexSnapshot snapshot = index.snapshot()) {
      AttributeTagger tagger =
          new AttributeTagger(
              AttributeFile.parse("attributes", text),
              clip,
              AttributeTagger.DEFAULT_MIN_CONFIDENCE,
              AttributeTagger.DEFAULT_MIN_MARGIN);
      int tagged = 0;
      for (String good : GOOD) {
        List<float[]> vectors =
            snapshot.find(good).images().stream().map(IndexedImage::vector).toList();
        Map<String, String> stored = snapshot.find(good).facetAttributes();
        assertEquals(tagger.tag(vectors), stored, good);
        tagged += stored.size();
      }
      assertTrue(tagged > 0, "some value clears the thresholds, so the test can fail");
    }
  }

  @Test
  void a_bad_attributes_file_is_a_usage_error_naming_its_line() throws Exception {
    Path attributes = Files.writeString(tmp.resolve("attributes.txt"), "color: red\n");
    CommandRun run = index("--attributes", attributes.toString());
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.err().contains("--attributes: " + attributes + ":1:"), run.err());
  }

  @Test
  void indexes_good_images_skips_broken_ones_with_their_reason_and_reports_them()
      throws IOException {
    Path reportFile = tmp.resolve("report.json");
    CommandRun run = index("--report", reportFile.toString());
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("11 added"), run.toString());
    assertTrue(run.out().contains("8 skipped"), run.toString());
    assertTrue(run.out().contains("1 indexed without some images"), run.toString());
    assertTrue(run.out().contains("skipped products by reason:"), run.toString());
    assertTrue(run.out().contains("too_many_pixels"), run.toString());
    assertTrue(run.out().contains("time split: decode"), run.toString());

    JsonNode report = new ObjectMapper().readTree(reportFile.toFile());
    Map<String, JsonNode> byId = new HashMap<>();
    report.get("failures").forEach(f -> byId.put(f.path("id").asText(null), f));
    for (Map.Entry<String, String> broken : BROKEN.entrySet()) {
      JsonNode failure = byId.get(broken.getKey());
      assertEquals("skipped", failure.get("status").asText(), broken.getKey());
      assertEquals("no_usable_image", failure.get("reason").asText(), broken.getKey());
      JsonNode image = failure.get("images").get(0);
      assertEquals(broken.getValue(), image.get("reason").asText(), broken.getKey());
      assertTrue(image.get("message").asText().contains(broken.getKey()), image.toString());
    }
    assertEquals("file_not_found", byId.get("missing").get("images").get(0).get("reason").asText());
    assertEquals("partial", byId.get("partial").get("status").asText());
    assertEquals("malformed_line", byId.get(null).get("reason").asText());
    assertEquals(19, byId.get(null).get("line").asInt());
    assertEquals(11, report.get("summary").get("added").asInt());

    try (CatalogIndex index = CatalogIndex.openExisting(indexDir);
        IndexSnapshot snapshot = index.snapshot()) {
      for (String good : GOOD) {
        assertEquals(1, snapshot.find(good).images().size(), good);
        assertTrue(snapshot.find(good).images().get(0).thumbnail().length > 100, good);
      }
      assertEquals(1, snapshot.find("partial").images().size());
    }

    CommandRun stats = CommandRun.run(new StatsCommand(), "--index", indexDir.toString());
    assertEquals(0, stats.exitCode(), stats.toString());
    assertTrue(stats.out().contains("products: 11\n"), stats.out());
    assertTrue(stats.out().contains("images: 11\n"), stats.out());
    assertTrue(stats.out().contains("last run: complete\n"), stats.out());
    assertTrue(stats.out().contains("size on disk: "), stats.out());

    CommandRun rerun = index();
    assertEquals(0, rerun.exitCode(), rerun.toString());
    // Only the partial product is looked at again (its broken image may have been fixed); its
    // good image is reused, nothing is encoded.
    assertTrue(rerun.out().contains("0 added, 1 updated, 10 unchanged"), rerun.toString());
    assertTrue(rerun.out().contains("images: 0 encoded, 1 reused"), rerun.toString());
  }

  @Test
  void an_image_too_elongated_to_resize_is_reported_as_unsupported_not_corrupt()
      throws IOException {
    // 1 x 10,000,000 decodes (under the pixel limit) but its long side cannot be resized
    Files.write(tmp.resolve("catalog/img/line.png"), HostileImages.tooElongatedPng());
    catalog =
        Files.writeString(
            tmp.resolve("catalog/elongated.jsonl"),
            line("line", "img/line.png") + line("good", "img/progressive.jpg"));
    Path reportFile = tmp.resolve("report.json");
    CommandRun run = index("--report", reportFile.toString());
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("1 added"), run.toString());

    JsonNode failures = new ObjectMapper().readTree(reportFile.toFile()).get("failures");
    assertEquals(1, failures.size(), failures.toString());
    assertEquals("line", failures.get(0).get("id").asText());
    JsonNode image = failures.get(0).get("images").get(0);
    assertEquals("unsupported_format", image.get("reason").asText(), image.toString());
    assertTrue(image.get("message").asText().contains("too elongated"), image.toString());
  }

  /** The job {@code clipsearch index} builds from the required options and {@code more}. */
  private IndexJob parsedJob(String... more) {
    IndexCommand command =
        new IndexCommand(Map.of("CLIPSEARCH_HOME", tmp.resolve("home").toString()), tmp);
    new CommandLine(command).parseArgs(requiredOptionsAnd(more));
    return command.job();
  }

  @Test
  void the_command_with_only_the_required_options_runs_the_default_job() {
    assertEquals(
        IndexJob.defaults(catalog, CatalogFormat.JSONL, indexDir, model, Device.CPU), parsedJob());
  }

  @Test
  void decode_fast_on_the_command_line_is_the_default_job_with_fast_decoding() {
    assertEquals(
        IndexJob.defaults(catalog, CatalogFormat.JSONL, indexDir, model, Device.CPU)
            .withDecodeMode(DecodeMode.FAST),
        parsedJob("--decode", "FAST"));
  }

  @Test
  void encoder_options_reach_the_job_and_the_settings_line_shows_what_the_device_chose() {
    IndexJob job = parsedJob("--batch-size", "8", "--encoder-sessions", "2", "--precision", "FP16");
    assertEquals(
        RuntimeOptions.byDevice()
            .withDevice(Device.CPU)
            .withBatchSize(8)
            .withEncoderSessions(2)
            .withVariant(Variant.FP16),
        job.runtime());
    assertEquals(8, job.indexing().batchSize());

    CommandRun byDevice =
        CommandRun.run(
            new IndexCommand(Map.of("CLIPSEARCH_HOME", tmp.resolve("home").toString()), tmp),
            requiredOptionsAnd("--threads", "2"));
    assertEquals(0, byDevice.exitCode(), byDevice.toString());
    assertTrue(
        byDevice.err().contains("batch 32, device cpu, 1 encoder session, precision fp32"),
        byDevice.err());

    // fp16 vectors carry another model id: into an index of their own
    String[] fp16Args =
        requiredOptionsAnd(
            "--threads",
            "2",
            "--batch-size",
            "4",
            "--encoder-sessions",
            "2",
            "--precision",
            "fp16");
    fp16Args[List.of(fp16Args).indexOf(indexDir.toString())] = tmp.resolve("fp16").toString();
    CommandRun asked =
        CommandRun.run(
            new IndexCommand(Map.of("CLIPSEARCH_HOME", tmp.resolve("home").toString()), tmp),
            fp16Args);
    assertEquals(0, asked.exitCode(), asked.toString());
    assertTrue(
        asked.err().contains("batch 4, device cpu, 2 encoder sessions, precision fp16"),
        asked.err());
    assertTrue(asked.out().contains("11 added"), asked.toString());

    // the precision left to the device (fp32 on the CPU) against the fp16 index: refused, with a
    // hint at --precision; asked for explicitly, no hint
    String[] intoFp16 = requiredOptionsAnd("--threads", "2");
    intoFp16[List.of(intoFp16).indexOf(indexDir.toString())] = tmp.resolve("fp16").toString();
    CommandRun byDeviceIntoFp16 =
        CommandRun.run(
            new IndexCommand(Map.of("CLIPSEARCH_HOME", tmp.resolve("home").toString()), tmp),
            intoFp16);
    assertEquals(1, byDeviceIntoFp16.exitCode(), byDeviceIntoFp16.toString());
    assertTrue(
        byDeviceIntoFp16.err().contains("--precision was left to the device"),
        byDeviceIntoFp16.err());
    String[] fp32IntoFp16 = requiredOptionsAnd("--threads", "2", "--precision", "fp32");
    fp32IntoFp16[List.of(fp32IntoFp16).indexOf(indexDir.toString())] =
        tmp.resolve("fp16").toString();
    CommandRun explicit =
        CommandRun.run(
            new IndexCommand(Map.of("CLIPSEARCH_HOME", tmp.resolve("home").toString()), tmp),
            fp32IntoFp16);
    assertEquals(1, explicit.exitCode(), explicit.toString());
    assertTrue(explicit.err().contains("was built with model"), explicit.err());
    assertTrue(!explicit.err().contains("--precision was left"), explicit.err());
  }

  @Test
  void bad_encoder_options_are_usage_errors_naming_the_option() {
    CommandRun quantized = index("--precision", "quantized");
    assertEquals(2, quantized.exitCode(), quantized.toString());
    assertTrue(quantized.err().contains("--precision"), quantized.err());
    CommandRun noSessions = index("--encoder-sessions", "0");
    assertEquals(2, noSessions.exitCode(), noSessions.toString());
    assertTrue(noSessions.err().contains("--encoder-sessions"), noSessions.err());
  }

  @Test
  void partition_on_the_command_line_is_the_default_job_for_that_partition() {
    IndexJob job = IndexJob.defaults(catalog, CatalogFormat.JSONL, indexDir, model, Device.CPU);
    assertEquals(
        job.withIndexing(job.indexing().withPartition(new Partition(1, 4))),
        parsedJob("--partition", "1/4"));
  }

  @Test
  void a_partition_index_out_of_range_is_a_usage_error_naming_the_range() {
    CommandRun run = index("--partition", "3/3");
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.err().contains("--partition"), run.toString());
    assertTrue(run.err().contains("0..2 (0-based)"), run.toString());
  }

  @Test
  void a_partition_run_says_how_many_entries_it_left_to_the_other_partitions() throws Exception {
    CommandRun run = index("--partition", "0/2");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("in other partitions: left to their runs"), run.toString());
    assertTrue(run.err().contains("partition 0/2"), run.toString());
    long products = CatalogIndex.stats(indexDir).products();
    assertTrue(products > 0 && products < 11, products + " products\n" + run);
  }

  @Test
  void a_typed_job_runs_without_the_command_line() throws Exception {
    IndexJob job = IndexJob.defaults(catalog, CatalogFormat.JSONL, indexDir, model, Device.CPU);
    job = job.withIndexing(job.indexing().withBatchSize(4).withThreads(2, 2));
    StringWriter out = new StringWriter();
    int exit =
        IndexCommand.run(
            job, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
    assertEquals(0, exit, out.toString());
    assertTrue(out.toString().contains("11 added"), out.toString());
    assertEquals(11, CatalogIndex.stats(indexDir).products(), out.toString());
  }

  @Test
  void more_failures_than_max_errors_exit_with_code_3() {
    CommandRun run = index("--max-errors", "2");
    assertEquals(IndexCommand.EXIT_TOO_MANY_ERRORS, run.exitCode(), run.toString());
    assertTrue(run.err().contains("more than --max-errors 2"), run.toString());
  }

  @Test
  void an_index_built_by_another_model_is_refused_naming_both() {
    assertEquals(0, index().exitCode());
    CommandRun other =
        CommandRun.run(
            new IndexCommand(Map.of(), tmp),
            "--catalog",
            catalog.toString(),
            "--index",
            indexDir.toString(),
            "--model",
            TestModels.tiny(TestModels.Layout.OPEN_CLIP).toString(),
            "--device",
            "cpu",
            "--no-progress");
    assertEquals(1, other.exitCode(), other.toString());
    assertTrue(other.err().contains("was built with model"), other.err());
    assertTrue(other.err().contains("but the model given is"), other.err());
  }

  @Test
  void creation_options_that_contradict_an_existing_index_are_a_usage_error() {
    assertEquals(0, index("--quantization", "int8").exitCode());
    CommandRun run = index("--quantization", "int4");
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.err().contains("--quantization int4 (index: int8)"), run.err());
  }

  @Test
  void usage_errors_name_the_option() {
    CommandRun noCatalog =
        CommandRun.run(
            new IndexCommand(Map.of(), tmp),
            "--catalog",
            tmp.resolve("nope.jsonl").toString(),
            "--index",
            indexDir.toString(),
            "--model",
            model.toString());
    assertEquals(2, noCatalog.exitCode());
    assertTrue(noCatalog.err().contains("--catalog: no such file"), noCatalog.err());
    CommandRun noModel = index("--model", "no-such-model");
    assertEquals(2, noModel.exitCode());
    assertTrue(noModel.err().contains("--model"), noModel.err());
  }

  @Test
  void decode_fast_indexes_the_same_products_and_an_unknown_mode_is_a_usage_error() {
    CommandRun fast = index("--decode", "fast");
    assertEquals(0, fast.exitCode(), fast.toString());
    assertTrue(fast.out().contains("11 added"), fast.toString());
    assertTrue(fast.err().contains("decode fast: JPEG through "), fast.toString());
    CommandRun unknown = index("--decode", "sloppy");
    assertEquals(2, unknown.exitCode(), unknown.toString());
    assertTrue(
        unknown.err().contains("--decode: decode mode must be exact or fast"), unknown.err());
  }

  @Test
  void a_catalog_whose_name_does_not_tell_its_format_needs_catalog_format() throws IOException {
    Path feed = Files.copy(catalog, tmp.resolve("catalog/feed.txt"));
    CommandRun unknown =
        CommandRun.run(
            new IndexCommand(Map.of(), tmp),
            "--catalog",
            feed.toString(),
            "--index",
            indexDir.toString(),
            "--model",
            model.toString());
    assertEquals(2, unknown.exitCode());
    assertTrue(unknown.err().contains("cannot tell the format"), unknown.err());
    catalog = feed;
    CommandRun run = index("--catalog-format", "jsonl");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("11 added"), run.toString());
  }

  @Test
  void delete_removes_products_and_stats_json_shows_it() throws IOException {
    assertEquals(0, index().exitCode());
    CommandRun delete =
        CommandRun.run(
            new DeleteCommand(), "--index", indexDir.toString(), "cmyk.jpg", "nope", "gray16.png");
    assertEquals(0, delete.exitCode(), delete.toString());
    assertTrue(delete.out().contains("deleted 2 of 3"), delete.out());
    assertTrue(delete.out().contains("not in the index: nope"), delete.out());
    CommandRun stats = CommandRun.run(new StatsCommand(), "--index", indexDir.toString(), "--json");
    JsonNode json = new ObjectMapper().readTree(stats.out());
    assertEquals(9, json.get("products").asInt());
    assertEquals("delete", json.get("last_run").asText());
    assertTrue(json.get("vector_field").asText().startsWith("vector_"));
    CommandRun nothing = CommandRun.run(new DeleteCommand(), "--index", indexDir.toString());
    assertEquals(2, nothing.exitCode());
    CommandRun noIndex =
        CommandRun.run(new StatsCommand(), "--index", tmp.resolve("none").toString());
    assertEquals(1, noIndex.exitCode());
    assertTrue(noIndex.err().contains("no index at"), noIndex.err());
  }

  @Test
  void every_command_has_help() {
    for (Object command : List.of(new IndexCommand(), new DeleteCommand(), new StatsCommand())) {
      CommandRun help = CommandRun.run(command, "--help");
      assertEquals(0, help.exitCode());
      assertTrue(help.out().contains("Usage:"), help.out());
      assertTrue(help.out().contains("Exit codes:"), help.out());
    }
  }
}
