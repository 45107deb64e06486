package dev.clipsearch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code clipsearch detect} is wired into the launcher (its behaviour: models' DetectCommandTest).
 */
class DetectCommandWiringTest {

  @Test
  void the_launcher_runs_detect_and_its_help_names_the_options() {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    assertTrue(
        cli.getSubcommands().containsKey("detect"), cli.getSubcommands().keySet().toString());
    assertEquals(0, cli.execute("detect", "--help"));
    for (String option :
        new String[] {"--model", "--detector", "--labels", "--threshold", "--out"}) {
      assertTrue(out.toString().contains(option), out.toString());
    }
  }

  @Test
  void detect_without_labels_is_refused() {
    CommandLine cli = Main.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    assertNotEquals(0, cli.execute("detect", "photo.png", "--model", "m"));
    assertTrue(err.toString().contains("--labels"), err.toString());
  }
}
