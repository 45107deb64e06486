package dev.clipsearch.models.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.common.cli.ProgressBar;
import dev.clipsearch.common.net.RetryPolicy;
import dev.clipsearch.models.hub.FakeHub;
import dev.clipsearch.models.hub.KnownModel;
import dev.clipsearch.models.hub.ModelRegistry;
import dev.clipsearch.models.hub.ModelVariant;
import dev.clipsearch.models.hub.RemoteFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code models fetch} and {@code models list} end to end against a local fake hub. */
@Tag("network")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ModelsCommandTest {

  private static final long SEED = 7_2026L;

  @TempDir Path tmp;
  private FakeHub hub;
  private ModelRegistry registry;
  private Map<String, String> env;

  private record Run(int exit, String out, String err) {}

  @BeforeEach
  void startHub() throws IOException {
    hub = new FakeHub("fake-org/test-clip");
    hub.add("config.json", FakeHub.randomBytes(SEED, 3_000), false);
    hub.add("onnx/vision_model.onnx", FakeHub.randomBytes(SEED + 1, 600_000), true);
    hub.add("onnx/text_model.onnx", FakeHub.randomBytes(SEED + 2, 400_000), true);
    registry = new ModelRegistry(List.of(hub.model("test-clip", true)));
    env = new HashMap<>();
    env.put("CLIPSEARCH_HOME", tmp.resolve("home").toString());
    env.put("HF_ENDPOINT", hub.endpoint().toString());
    env.put("CI", "true");
  }

  @AfterEach
  void stopHub() {
    hub.close();
  }

  private Run run(String... args) {
    ModelsCommand command =
        new ModelsCommand(
            env,
            tmp.resolve("user"),
            registry,
            c ->
                c.withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(20))
                    .withRetry(new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(2))));
    CommandLine cli = new CommandLine(command);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private Path installed() {
    return tmp.resolve("home").resolve("models").resolve("test-clip");
  }

  @Test
  void fetch_installs_the_default_model_and_list_shows_it() {
    Run fetch = run("fetch");

    assertEquals(0, fetch.exit(), fetch.err());
    assertTrue(
        fetch.out().startsWith("installed test-clip (1.0 MB, 3 files, fp32) in " + installed()),
        fetch.out());
    assertTrue(
        fetch
            .err()
            .contains("fetching test-clip (fp32) from " + hub.endpoint() + "/fake-org/test-clip"),
        fetch.err());
    assertTrue(fetch.err().contains("onnx/vision_model.onnx: 600.0 kB in "), fetch.err());
    assertTrue(Files.isRegularFile(installed().resolve("onnx/text_model.onnx")));

    Run list = run("list");

    assertEquals(0, list.exit(), list.err());
    String row =
        list.out()
            .lines()
            .filter(l -> l.contains(installed().toString()))
            .findFirst()
            .orElseThrow();
    List<String> columns = List.of(row.strip().split("\\s+"));
    assertEquals("test-clip", columns.get(0));
    assertEquals("fp32", columns.get(1));
    assertEquals("3", columns.get(4), "file count: " + row);
    assertEquals("fake-org/test-clip@0123456", columns.get(5));
    assertTrue(
        list.out().contains("fp32 (default): over 1.0 MB (1 file of unpinned size), installed"),
        list.out());
  }

  @Test
  void fetching_an_installed_model_again_says_so_and_downloads_nothing() {
    run("fetch", "fake/test-clip");
    int requests = hub.requests().size();

    Run again = run("fetch", "test-clip");

    assertEquals(0, again.exit(), again.err());
    assertTrue(again.out().startsWith("test-clip is already installed"), again.out());
    assertEquals(requests, hub.requests().size());
  }

  @Test
  void fetch_to_puts_the_model_in_the_given_directory() throws IOException {
    Path target = tmp.resolve("models-here").resolve("clip");

    Run fetch = run("fetch", "--to", target.toString());

    assertEquals(0, fetch.exit(), fetch.err());
    assertArrayEquals(
        hub.file("config.json").content(), Files.readAllBytes(target.resolve("config.json")));
    assertFalse(Files.exists(installed()), "the cache is not touched");
  }

  @Test
  void an_unreachable_hub_is_one_clear_error_line_without_a_stack_trace() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    env.put("HF_ENDPOINT", "http://127.0.0.1:" + closedPort);

    Run fetch = run("fetch");

    assertEquals(ModelsCommand.EXIT_FETCH_FAILED, fetch.exit());
    assertTrue(fetch.err().contains("error: cannot reach 127.0.0.1:" + closedPort), fetch.err());
    assertTrue(
        fetch.err().contains("HF_ENDPOINT (http://127.0.0.1:" + closedPort + ")"), fetch.err());
    assertFalse(fetch.err().contains("\tat "), "no stack trace: " + fetch.err());
    assertFalse(fetch.err().contains("Exception"), "no exception names: " + fetch.err());
    assertEquals("", fetch.out());
  }

  @Test
  void a_corrupted_download_fails_and_installs_nothing() {
    hub.file("onnx/text_model.onnx").corrupt(true);

    Run fetch = run("fetch");

    assertEquals(ModelsCommand.EXIT_FETCH_FAILED, fetch.exit());
    assertTrue(fetch.err().contains("onnx/text_model.onnx is corrupt"), fetch.err());
    assertFalse(Files.exists(installed()));
  }

  @Test
  void an_unknown_model_is_a_usage_error_listing_the_known_ones() {
    Run fetch = run("fetch", "no-such-model");

    assertEquals(2, fetch.exit());
    assertTrue(
        fetch.err().contains("unknown model 'no-such-model'; known models: test-clip"),
        fetch.err());
  }

  @Test
  void a_variant_the_model_does_not_offer_is_a_usage_error() {
    Run unknown = run("fetch", "--variant", "fp64");
    Run notOffered = run("fetch", "--variant", "int8");

    assertEquals(2, unknown.exit());
    assertTrue(unknown.err().contains("expected one of fp32, int8, q8"), unknown.err());
    assertEquals(2, notOffered.exit());
    assertTrue(notOffered.err().contains("test-clip has no int8 variant"), notOffered.err());
    assertEquals(List.of(), hub.requests());
  }

  @Test
  void a_malformed_hf_endpoint_is_named_in_the_error() {
    env.put("HF_ENDPOINT", "not a url");

    Run fetch = run("fetch");

    assertEquals(2, fetch.exit());
    assertTrue(fetch.err().contains("HF_ENDPOINT='not a url'"), fetch.err());
  }

  @Test
  void list_of_an_empty_cache_says_how_to_fetch_a_model() {
    Run list = run("list");

    assertEquals(0, list.exit(), list.err());
    assertTrue(list.out().startsWith("No models in "), list.out());
    assertTrue(list.out().contains("clipsearch models fetch"), list.out());
    assertTrue(list.out().contains("test-clip  a fake model of random bytes"), list.out());
  }

  @Test
  void list_known_shows_each_built_in_model_with_its_size_dimension_languages_and_uses() {
    registry = ModelRegistry.builtIn();
    Run list = run("list", "--known");

    assertEquals(0, list.exit(), list.err());
    assertTrue(list.out().startsWith("Known models"), "no cache listing first: " + list.out());
    for (KnownModel model : registry.models()) {
      String entry = list.out().substring(list.out().indexOf("  " + model.name() + "  "));
      String facts = entry.lines().skip(1).findFirst().orElseThrow();
      assertTrue(
          facts.contains(
              model.facts().dimension()
                  + "-d; queries in "
                  + String.join(", ", model.facts().languages())
                  + "; "),
          facts);
      assertTrue(facts.contains(model.facts().goodFor()), facts);
    }
    long b32 =
        ModelRegistry.CLIP_VIT_BASE_PATCH32.files(ModelVariant.FP32).stream()
            .mapToLong(f -> f.size().getAsLong())
            .sum();
    assertTrue(list.out().contains("fp32 (default): " + ProgressBar.formatBytes(b32)), list.out());
    assertTrue(
        list.out()
            .contains("d15189d7028b43f1d3e65039190477f6af591c2a; sizes and SHA-256" + " pinned"),
        list.out());
    assertTrue(list.out().contains("fp32 (default): size unknown; q8: size unknown"), list.out());
    assertTrue(
        list.out().contains("at main (branch); not every size and SHA-256 is pinned"), list.out());
    assertTrue(list.out().contains("queries in 50+ languages (ar bg ca"), list.out());
  }

  @Test
  void list_known_names_both_repositories_of_a_model_made_of_two() {
    registry = ModelRegistry.builtIn();
    Run list = run("list", "--known");

    assertEquals(0, list.exit(), list.err());
    String entry =
        list.out()
            .substring(
                list.out().indexOf("  " + ModelRegistry.CLIP_VIT_B32_MULTILINGUAL.name() + "  "));
    List<RemoteFile> files = ModelRegistry.CLIP_VIT_B32_MULTILINGUAL.files(ModelVariant.FP32);
    long pinnedBytes = files.stream().mapToLong(f -> f.size().orElse(0)).sum();
    long unpinned = files.stream().filter(f -> f.size().isEmpty()).count();
    assertTrue(
        entry.contains(
            "fp32 (default): over "
                + ProgressBar.formatBytes(pinnedBytes)
                + " ("
                + unpinned
                + " files of unpinned size)"),
        entry);
    assertTrue(
        entry.contains(
            "from sentence-transformers/clip-ViT-B-32-multilingual-v1 at"
                + " e5ec8447a7e1c7a01ec5f9c1b487f3a1fad33aef; not every size"),
        entry);
    assertTrue(
        entry.contains(
            "and from Xenova/clip-vit-base-patch32 at d15189d7028b43f1d3e65039190477f6af591c2a"),
        entry);
  }

  @Test
  void every_subcommand_has_help() {
    Run help = run("fetch", "--help");

    assertEquals(0, help.exit());
    assertTrue(help.out().contains("--variant=VARIANT"), help.out());
    assertTrue(help.out().contains("--to=DIR"), help.out());
    assertEquals(0, run("list", "--help").exit());
    assertEquals(0, run("--help").exit());
  }
}
