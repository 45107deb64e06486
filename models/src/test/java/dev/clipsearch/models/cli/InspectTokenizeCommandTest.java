package dev.clipsearch.models.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code inspect tokenize} run through picocli, output captured, against the shared fixtures. */
class InspectTokenizeCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path vocab;
  private static JsonNode fixtures;

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void load() throws IOException {
    Path shared = Path.of(System.getProperty("clipsearch.shared"));
    vocab = shared.resolve("models/clip-vocab/bpe_simple_vocab_16e6.txt.gz");
    fixtures = JSON.readTree(shared.resolve("fixtures/clip-reference/tokenizer.json").toFile());
  }

  @Test
  void prints_one_compact_json_array_per_text_with_start_and_end() throws IOException {
    List<String> args = new ArrayList<>(List.of("--vocab", vocab.toString()));
    List<String> expected = new ArrayList<>();
    for (JsonNode c : fixtures.get("cases")) {
      args.add(c.get("text").asText());
      // Jackson writes arrays without spaces: the format the command promises.
      expected.add(JSON.writeValueAsString(c.get("ids_context77_truncated")));
    }
    assertEquals(0, run(args.toArray(String[]::new)), err.toString());
    assertEquals(expected, out.toString().lines().toList());
  }

  @Test
  void context_length_option_truncates_keeping_the_end_token() {
    assertEquals(0, run("--vocab", vocab.toString(), "--context-length", "4", "a photo of a cat"));
    int sot = fixtures.get("sot").asInt();
    int eot = fixtures.get("eot").asInt();
    JsonNode photo = fixtures.get("cases").get(0);
    assertEquals("a photo of a cat", photo.get("text").asText());
    String expected =
        "[" + sot + "," + photo.get("ids").get(1) + "," + photo.get("ids").get(2) + "," + eot + "]";
    assertEquals(expected, out.toString().strip());
  }

  @Test
  void double_dash_lets_a_text_start_with_a_dash() {
    assertEquals(0, run("--vocab", vocab.toString(), "--", "-x"));
    assertEquals(1, out.toString().lines().count());
    assertTrue(out.toString().startsWith("[" + fixtures.get("sot").asInt() + ","), out.toString());
  }

  @Test
  void accepts_a_wordpiece_tokenizer_json() throws IOException {
    Path json = dir.resolve("tokenizer.json");
    try (InputStream in = getClass().getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
      assertTrue(in != null, "the MiniLM tokenizer.json is not on the test classpath");
      Files.copy(in, json);
    }
    assertEquals(0, run("--vocab", json.toString(), "red running shoes for men"));
    // Golden ids of the tokenizers library, wordpiece-minilm-reference.json "plain_query".
    assertEquals("[101,2417,2770,6007,2005,2273,102]", out.toString().strip());
  }

  @Test
  void missing_vocab_file_is_a_usage_error_naming_the_file() {
    Path missing = dir.resolve("missing.txt.gz");
    assertEquals(2, run("--vocab", missing.toString(), "a cat"));
    assertTrue(err.toString().contains(missing.toString()), err.toString());
    assertEquals("", out.toString());
  }

  @Test
  void context_length_below_two_is_a_usage_error() {
    assertEquals(2, run("--vocab", vocab.toString(), "--context-length", "1", "a cat"));
    assertTrue(err.toString().contains("--context-length"), err.toString());
  }

  @Test
  void no_text_is_a_usage_error() {
    assertEquals(2, run("--vocab", vocab.toString()));
    assertTrue(err.toString().contains("TEXT"), err.toString());
  }

  @Test
  void help_names_the_options() {
    assertEquals(0, run("--help"));
    assertTrue(out.toString().contains("--vocab=FILE"), out.toString());
    assertTrue(out.toString().contains("--context-length=N"), out.toString());
  }

  private int run(String... args) {
    CommandLine cli = new CommandLine(new InspectTokenizeCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }
}
