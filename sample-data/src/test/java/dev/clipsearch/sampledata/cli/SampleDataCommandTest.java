package dev.clipsearch.sampledata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SampleDataCommandTest {

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = new CommandLine(new SampleDataCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void help_lists_the_build_command_and_its_options() {
    assertEquals(0, run("--help"));
    assertTrue(out.toString().contains("build"), out.toString());

    assertEquals(0, run("build", "--help"));
    for (String option : new String[] {"--out", "--small", "--styles", "--cache-dir", "--npm"}) {
      assertTrue(out.toString().contains(option), option + " in " + out);
    }
  }

  @Test
  void build_without_npm_or_cache_fails_saying_what_failed_and_what_to_do() {
    Path npm = dir.resolve("no/npm");
    int exit =
        run(
            "build",
            "--out",
            dir.resolve("catalog").toString(),
            "--cache-dir",
            dir.resolve("cache").toString(),
            "--npm",
            npm.toString());

    assertEquals(1, exit);
    String message = err.toString();
    assertTrue(message.startsWith("sample-data build failed: cannot run '" + npm), message);
    assertTrue(message.contains("npm pack"), message);
    assertTrue(message.contains("emojibase-data-17.0.0.tgz"), message);
    assertTrue(!Files.exists(dir.resolve("catalog/catalog.jsonl")));
  }

  @Test
  void an_unknown_image_style_is_a_usage_error_naming_the_known_ones() {
    int exit = run("build", "--styles", "fluent-3d,sepia", "--out", dir.toString());

    assertEquals(2, exit);
    assertTrue(err.toString().contains("sepia"), err.toString());
    assertTrue(err.toString().contains("fluent-3d, noto, twemoji"), err.toString());
  }
}
