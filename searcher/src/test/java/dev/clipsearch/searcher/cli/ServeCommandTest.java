package dev.clipsearch.searcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.indexer.cli.StoreTarget;
import dev.clipsearch.indexer.solr.SolrNodes;
import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.Variant;
import dev.clipsearch.models.image.DecodeMode;
import dev.clipsearch.models.image.ImageLimits;
import dev.clipsearch.models.image.ImagePipeline;
import dev.clipsearch.models.testing.TestModels;
import dev.clipsearch.searcher.server.SearchServer;
import dev.clipsearch.searcher.server.ServerConfig;
import dev.clipsearch.searcher.testing.HttpClientHarness;
import dev.clipsearch.searcher.testing.TestCatalog;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code clipsearch serve}: options to one config, a served index, clear refusals. */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ServeCommandTest {

  @TempDir static Path dir;
  static Path hfModel;

  @BeforeAll
  static void index() throws IOException {
    hfModel = TestModels.tiny(TestModels.Layout.HF);
    try (ClipModel model =
        ClipModels.load(hfModel, RuntimeOptions.defaults().withDevice(Device.CPU))) {
      TestCatalog.write(
          dir.resolve("index"),
          model,
          ImagePipeline.of(new ImageLimits(1_000_000), model.spec().preprocess(), 0),
          TestCatalog.SHOP.subList(0, 3));
    }
  }

  record Run(int exit, String out, String err) {}

  static CommandLine command(ServeCommand serve, StringWriter out, StringWriter err) {
    CommandLine cli = new CommandLine(serve);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli;
  }

  static Run run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = command(new ServeCommand(env, dir), out, err).execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void options_and_the_environment_make_one_config_that_never_prints_the_token() {
    ServeCommand serve =
        new ServeCommand(Map.of(ServeCommand.ADMIN_TOKEN_VARIABLE, "sekret-value"), dir);
    command(serve, new StringWriter(), new StringWriter())
        .parseArgs(
            "--index",
            "idx",
            "--model",
            "m",
            "--port",
            "0",
            "--device",
            "cpu",
            "--inference-threads",
            "3",
            "--queue",
            "7",
            "--max-upload-mb",
            "2",
            "--vector-weight",
            "2",
            "--lexical-weight",
            "0.5",
            "--images-root",
            "catalog");
    ServerConfig config = serve.config();
    assertEquals(Path.of("idx"), config.indexDir());
    assertEquals(0, config.port());
    assertEquals("127.0.0.1", config.host());
    assertEquals(3, config.encoder().threads());
    assertEquals(7, config.encoder().queueCapacity());
    assertEquals(2L * 1024 * 1024, config.api().maxImageBytes());
    assertEquals(2.0, config.search().vectorWeight());
    assertEquals(0.5, config.search().lexicalWeight());
    assertEquals(Path.of("catalog"), config.search().imagesRoot());
    assertTrue(config.adminEnabled());
    assertFalse(config.toString().contains("sekret-value"), config.toString());
  }

  @Test
  void solr_instead_of_index_serves_the_collection_and_both_are_a_usage_error() {
    ServeCommand serve = new ServeCommand(Map.of(), dir);
    command(serve, new StringWriter(), new StringWriter())
        .parseArgs(
            "--solr",
            "http://h1:8983/solr,http://h2:8983/solr",
            "--collection",
            "shop",
            "--model",
            hfModel.toString(),
            "--device",
            "cpu");
    ServeJob job = serve.job();
    assertEquals(
        new StoreTarget.Solr(SolrNodes.parse("http://h1:8983/solr,http://h2:8983/solr"), "shop"),
        job.store());
    assertTrue(job.servesSolr());
    assertEquals(Path.of("solr:shop"), job.server().indexDir());

    Run both = run(Map.of(), "--index", "idx", "--solr", "http://h:8983/solr", "--model", "m");
    assertEquals(2, both.exit(), both.err());
    assertTrue(both.err().contains("--index and --solr are mutually exclusive"), both.err());
    Run neither = run(Map.of(), "--model", "m");
    assertEquals(2, neither.exit(), neither.err());
    assertTrue(neither.err().contains("missing --index DIR"), neither.err());
  }

  @Test
  void an_unreachable_solr_at_start_is_one_error_naming_the_url_and_exit_code_1()
      throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port + "/solr";
    Run run =
        run(
            Map.of(),
            "--solr",
            url,
            "--model",
            hfModel.toString(),
            "--device",
            "cpu",
            "--port",
            "0");
    assertEquals(1, run.exit(), run.err());
    assertTrue(run.err().contains("clipsearch serve: cannot reach Solr at " + url), run.err());
    assertEquals(1, run.err().strip().lines().count(), run.err());
  }

  @Test
  void without_the_token_variable_admin_routes_are_off() {
    ServeCommand serve = new ServeCommand(Map.of(), dir);
    command(serve, new StringWriter(), new StringWriter())
        .parseArgs("--index", "idx", "--model", "m");
    assertFalse(serve.config().adminEnabled());
    assertEquals(7070, serve.config().port());
  }

  @Test
  void the_command_with_only_the_required_options_serves_the_default_job() {
    ServeCommand serve = new ServeCommand(Map.of(), dir);
    command(serve, new StringWriter(), new StringWriter())
        .parseArgs("--index", "idx", "--model", "m", "--device", "cpu");
    assertEquals(
        ServeJob.defaults(Path.of("idx"), Path.of("m"), "127.0.0.1", 7070, Device.CPU).server(),
        serve.config());
  }

  @Test
  void precision_is_left_to_the_device_as_index_does_unless_asked_for() {
    ServeCommand serve = new ServeCommand(Map.of(), dir);
    command(serve, new StringWriter(), new StringWriter())
        .parseArgs("--index", "idx", "--model", hfModel.toString(), "--device", "cpu");
    assertNull(serve.job().runtime().variant(), "left to the device, like index");
    serve = new ServeCommand(Map.of(), dir);
    command(serve, new StringWriter(), new StringWriter())
        .parseArgs(
            "--index",
            "idx",
            "--model",
            hfModel.toString(),
            "--device",
            "cpu",
            "--precision",
            "fp16");
    assertEquals(Variant.FP16, serve.job().runtime().variant());
    Run quantized =
        run(
            Map.of(),
            "--index",
            "idx",
            "--model",
            hfModel.toString(),
            "--device",
            "cpu",
            "--precision",
            "quantized");
    assertEquals(2, quantized.exit(), quantized.err());
    assertTrue(quantized.err().contains("--precision: expected fp32 or fp16"), quantized.err());
  }

  @Test
  void decode_reaches_the_job_and_an_unknown_mode_is_a_usage_error() {
    ServeCommand serve = new ServeCommand(Map.of(), dir);
    command(serve, new StringWriter(), new StringWriter())
        .parseArgs("--index", "idx", "--model", hfModel.toString(), "--device", "cpu");
    assertEquals(DecodeMode.EXACT, serve.job().decodeMode());
    serve = new ServeCommand(Map.of(), dir);
    command(serve, new StringWriter(), new StringWriter())
        .parseArgs(
            "--index", "idx", "--model", hfModel.toString(), "--device", "cpu", "--decode", "fast");
    assertEquals(
        ServeJob.defaults(Path.of("idx"), hfModel, "127.0.0.1", 7070, Device.CPU)
            .withDecodeMode(DecodeMode.FAST),
        serve.job());
    Run unknown =
        run(
            Map.of(),
            "--index",
            "idx",
            "--model",
            hfModel.toString(),
            "--device",
            "cpu",
            "--decode",
            "sloppy");
    assertEquals(2, unknown.exit(), unknown.err());
    assertTrue(
        unknown.err().contains("--decode: decode mode must be exact or fast"), unknown.err());
  }

  @Test
  void a_typed_job_with_fast_decoding_starts_a_server() throws IOException {
    ServeJob job =
        ServeJob.defaults(dir.resolve("index"), hfModel, "127.0.0.1", 0, Device.CPU)
            .withDecodeMode(DecodeMode.FAST);
    try (SearchServer server = ServeCommand.start(job)) {
      HttpClientHarness http = new HttpClientHarness("http://127.0.0.1:" + server.port());
      assertEquals(3, http.get("/ready").json().get("products").asInt());
    }
  }

  @Test
  void a_typed_job_starts_a_server_without_the_command_line() throws IOException {
    ServeJob job =
        ServeJob.defaults(dir.resolve("index"), hfModel, "127.0.0.1", 0, Device.CPU)
            .withImagesRoot(dir);
    try (SearchServer server = ServeCommand.start(job)) {
      HttpClientHarness http = new HttpClientHarness("http://127.0.0.1:" + server.port());
      assertEquals(3, http.get("/ready").json().get("products").asInt());
      assertEquals(200, http.get("/api/search?q=red+shoe").status());
    }
  }

  @Test
  void starts_a_server_on_the_index_with_its_model() throws IOException {
    ServeCommand serve = new ServeCommand(Map.of(), dir);
    command(serve, new StringWriter(), new StringWriter())
        .parseArgs(
            "--index",
            dir.resolve("index").toString(),
            "--model",
            hfModel.toString(),
            "--port",
            "0",
            "--device",
            "cpu");
    try (SearchServer server = serve.start()) {
      HttpClientHarness http = new HttpClientHarness("http://127.0.0.1:" + server.port());
      assertEquals(3, http.get("/ready").json().get("products").asInt());
      assertEquals(200, http.get("/api/search?q=red+shoe").status());
    }
  }

  @Test
  void refuses_an_index_built_by_another_model_naming_both() {
    Path other = TestModels.tiny(TestModels.Layout.MANIFEST);
    Run run =
        run(
            Map.of(),
            "--index",
            dir.resolve("index").toString(),
            "--model",
            other.toString(),
            "--port",
            "0",
            "--device",
            "cpu");
    assertEquals(1, run.exit(), run.err());
    assertTrue(run.err().contains("was built with model"), run.err());
  }

  @Test
  void refuses_a_missing_index_or_an_unknown_model_or_device_with_a_message() {
    Run noIndex =
        run(
            Map.of(),
            "--index",
            dir.resolve("nothing").toString(),
            "--model",
            hfModel.toString(),
            "--port",
            "0");
    assertEquals(1, noIndex.exit());
    assertTrue(noIndex.err().contains("no index at"), noIndex.err());
    Run noModel =
        run(
            Map.of("CLIPSEARCH_HOME", dir.resolve("home").toString()),
            "--index",
            dir.resolve("index").toString(),
            "--model",
            "no-such-model",
            "--port",
            "0");
    assertNotEquals(0, noModel.exit());
    assertTrue(noModel.err().contains("--model"), noModel.err());
    Run badDevice =
        run(
            Map.of(),
            "--index",
            dir.resolve("index").toString(),
            "--model",
            hfModel.toString(),
            "--device",
            "tpu");
    assertEquals(2, badDevice.exit(), badDevice.err());
    assertTrue(badDevice.err().contains("--device"), badDevice.err());
  }

  @Test
  void help_lists_every_option() {
    Run help = run(Map.of(), "--help");
    assertEquals(0, help.exit());
    for (String option : List.of("--index", "--model", "--port", "--host", "--device", "--queue")) {
      assertTrue(help.out().contains(option), option + " in " + help.out());
    }
  }
}
