package dev.clipsearch.models.text;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the tokenizer tests find their reference data. */
final class TextFixtures {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TextFixtures() {}

  /** The shared folder beside the checkout (set by Surefire). */
  static Path shared() {
    String shared = System.getProperty("clipsearch.shared");
    assertTrue(shared != null, "system property clipsearch.shared is not set (run through Maven)");
    return Path.of(shared);
  }

  /** OpenAI's original merges file. */
  static Path clipVocab() {
    Path vocab = shared().resolve("models/clip-vocab/bpe_simple_vocab_16e6.txt.gz");
    assertTrue(Files.isRegularFile(vocab), "missing " + vocab);
    return vocab;
  }

  /** The shared CLIP tokenizer fixtures. */
  static JsonNode clipFixtures() {
    Path file = shared().resolve("fixtures/clip-reference/tokenizer.json");
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A JSON test resource beside this class. */
  static JsonNode resource(String name) {
    try (InputStream in = TextFixtures.class.getResourceAsStream(name)) {
      assertTrue(in != null, "missing test resource " + name);
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A readable one-line test name for a text: quoted, escaped, shortened. */
  static String label(String text) {
    String escaped = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
    escaped = escaped.length() > 60 ? escaped.substring(0, 60) + "..." : escaped;
    return "\"" + escaped + "\"";
  }

  static int[] ids(JsonNode array) {
    int[] ids = new int[array.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = array.get(i).asInt();
    }
    return ids;
  }
}
