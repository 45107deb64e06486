package dev.clipsearch.searcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code clipsearch audit}'s refusals: bad options and a missing index are named, before any model
 * is loaded. The audit itself runs end to end in the cli module's {@code AuditPlantedProblemsTest}.
 */
class AuditCommandTest {

  @TempDir Path dir;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int run(String... args) {
    CommandLine cli = new CommandLine(new AuditCommand(Map.of(), dir.resolve("home")));
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  /** Runs on a (missing) index with one option added; a usage error comes before any reading. */
  void assertUsageError(String option, String value, String named) {
    int exit =
        run(
            "--index",
            dir.resolve("index").toString(),
            "--out",
            dir.resolve("out").toString(),
            option,
            value);
    assertEquals(2, exit, err.toString());
    assertTrue(err.toString().contains(named), err.toString());
  }

  @Test
  void a_duplicate_threshold_outside_zero_to_one_is_a_usage_error_naming_it() {
    assertUsageError("--duplicate-threshold", "1.5", "duplicate threshold");
  }

  @Test
  void a_category_prompt_without_a_placeholder_is_a_usage_error() {
    assertUsageError("--category-prompt", "a photo", "category prompt");
  }

  @Test
  void a_negative_margin_is_a_usage_error() {
    assertUsageError("--placeholder-margin", "-0.1", "placeholder margin");
  }

  @Test
  void a_folder_without_an_index_is_refused_naming_it() {
    Path missing = dir.resolve("no-index");
    int exit = run("--index", missing.toString(), "--out", dir.resolve("out").toString());
    assertEquals(1, exit);
    assertTrue(err.toString().startsWith("clipsearch audit: "), err.toString());
    assertTrue(err.toString().contains(missing.toString()), err.toString());
  }

  @Test
  void store_options_are_those_of_the_other_commands() {
    String outDir = dir.resolve("out").toString();
    assertEquals(2, run("--index", "d", "--solr", "http://h:8983/solr", "--out", outDir));
    assertTrue(
        err.toString().contains("--index and --solr are mutually exclusive"), err.toString());
    assertEquals(2, run("--out", outDir));
    assertTrue(err.toString().contains("missing --index DIR"), err.toString());
    assertEquals(2, run("--index", "d", "--collection", "x", "--out", outDir));
    assertTrue(err.toString().contains("--collection needs --solr"), err.toString());
  }

  @Test
  void an_unreachable_solr_is_one_error_naming_the_url_and_exit_code_1() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port + "/solr";
    int exit = run("--solr", url, "--out", dir.resolve("out").toString());
    assertEquals(1, exit, err.toString());
    assertTrue(
        err.toString().startsWith("clipsearch audit: cannot reach Solr at " + url), err.toString());
    assertTrue(err.toString().contains("collection 'products'"), err.toString());
  }
}
