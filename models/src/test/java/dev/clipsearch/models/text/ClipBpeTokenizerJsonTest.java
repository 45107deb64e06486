package dev.clipsearch.models.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clipsearch.models.ModelLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ClipBpeTokenizer#fromTokenizerJson} gives the same ids as {@link
 * ClipBpeTokenizer#fromMergesFile}, on the full vocabulary (a Hugging Face style file written here
 * from the merges file, in both merge notations) and on a small vocabulary whose tokenizer.json was
 * written by {@code models/reference/clip_tokenizer_json.py} (regenerate both resources with:
 * {@code zcat bpe_simple_vocab_16e6.txt.gz | head -1001 | gzip -9n > tiny-bpe-vocab.txt.gz} and
 * {@code clip_tokenizer_json.py tiny-bpe-vocab.txt.gz tiny-clip-tokenizer.json}).
 */
class ClipBpeTokenizerJsonTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static ClipBpeTokenizer fromMerges;
  private static List<String> texts;

  @TempDir Path dir;

  @BeforeAll
  static void load() {
    fromMerges = ClipBpeTokenizer.fromMergesFile(TextFixtures.clipVocab());
    texts = new ArrayList<>();
    TextFixtures.clipFixtures().get("cases").forEach(c -> texts.add(c.get("text").asText()));
    TextFixtures.resource("clip-bpe-reference.json")
        .get("cases")
        .forEach(c -> texts.add(c.get("text").asText()));
  }

  @Test
  void tokenizer_json_with_string_merges_gives_the_merges_file_ids_on_every_reference_text()
      throws IOException {
    Path file = writeHfJson(TextFixtures.clipVocab(), false, root -> {});
    assertSameIds(fromMerges, ClipBpeTokenizer.fromTokenizerJson(file), texts);
  }

  @Test
  void tokenizer_json_with_pair_merges_gives_the_merges_file_ids_on_every_reference_text()
      throws IOException {
    Path file = writeHfJson(TextFixtures.clipVocab(), true, root -> {});
    assertSameIds(fromMerges, ClipBpeTokenizer.fromTokenizerJson(file), texts);
  }

  @Test
  void file_written_by_python_writer_gives_the_merges_file_ids() throws IOException {
    Path merges = copyResource("tiny-bpe-vocab.txt.gz");
    Path json = copyResource("tiny-clip-tokenizer.json");
    ClipBpeTokenizer tinyMerges = ClipBpeTokenizer.fromMergesFile(merges);
    ClipBpeTokenizer tinyJson = ClipBpeTokenizer.fromTokenizerJson(json);
    assertSameIds(tinyMerges, tinyJson, texts);
    // 1000 merges: the special tokens follow them, wherever they fall.
    assertArrayEquals(new int[] {1512, 1513}, tinyJson.encode("", 77));
  }

  @Test
  void pad_id_is_zero_for_the_merges_file_as_in_openai_tokenize() {
    assertEquals(0, fromMerges.padId());
  }

  @Test
  void pad_id_is_the_end_token_when_the_json_configures_no_padding() throws IOException {
    Path file = writeHfJson(TextFixtures.clipVocab(), false, root -> root.putNull("padding"));
    int eot = TextFixtures.clipFixtures().get("eot").asInt();
    assertEquals(eot, ClipBpeTokenizer.fromTokenizerJson(file).padId());
  }

  @Test
  void pad_id_comes_from_the_json_padding_config() throws IOException {
    Path file =
        writeHfJson(
            TextFixtures.clipVocab(),
            false,
            root -> root.putObject("padding").put("pad_id", 0).put("pad_token", "!"));
    assertEquals(0, ClipBpeTokenizer.fromTokenizerJson(file).padId());
  }

  @Test
  void special_token_ids_come_from_the_file_not_constants() throws IOException {
    Path file =
        writeHfJson(
            TextFixtures.clipVocab(),
            false,
            root -> {
              ObjectNode vocab = (ObjectNode) root.get("model").get("vocab");
              vocab.put("<|startoftext|>", 50000).put("<|endoftext|>", 50001);
              root.remove("added_tokens");
            });
    int[] ids = ClipBpeTokenizer.fromTokenizerJson(file).encode("a photo of a cat", 77);
    assertEquals(50000, ids[0]);
    assertEquals(50001, ids[ids.length - 1]);
  }

  @Test
  void wordpiece_json_is_refused_naming_the_file() throws IOException {
    Path file =
        writeHfJson(
            TextFixtures.clipVocab(),
            false,
            root -> ((ObjectNode) root.get("model")).put("type", "WordPiece"));
    ModelLoadException e =
        assertThrows(ModelLoadException.class, () -> ClipBpeTokenizer.fromTokenizerJson(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("WordPiece"), e.getMessage());
  }

  @Test
  void bpe_without_end_of_word_suffix_is_refused() throws IOException {
    Path file =
        writeHfJson(
            TextFixtures.clipVocab(),
            false,
            root -> ((ObjectNode) root.get("model")).putNull("end_of_word_suffix"));
    ModelLoadException e =
        assertThrows(ModelLoadException.class, () -> ClipBpeTokenizer.fromTokenizerJson(file));
    assertTrue(e.getMessage().contains("end_of_word_suffix"), e.getMessage());
  }

  @Test
  void merge_naming_an_unknown_token_is_refused_with_its_rank() throws IOException {
    Path file =
        writeHfJson(
            TextFixtures.clipVocab(),
            false,
            root -> ((ArrayNode) root.get("model").get("merges")).set(2, "zz\u0101 q"));
    ModelLoadException e =
        assertThrows(ModelLoadException.class, () -> ClipBpeTokenizer.fromTokenizerJson(file));
    assertTrue(e.getMessage().contains("merge 3 "), e.getMessage());
  }

  @Test
  void truncated_json_is_refused_naming_the_file() throws IOException {
    Path file = dir.resolve("tokenizer.json");
    Files.writeString(file, "{\"model\": {\"type\": \"BPE\", \"vocab\": {");
    ModelLoadException e =
        assertThrows(ModelLoadException.class, () -> ClipBpeTokenizer.fromTokenizerJson(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void missing_files_are_refused_naming_them() {
    Path json = dir.resolve("absent/tokenizer.json");
    Path gz = dir.resolve("absent/bpe_simple_vocab_16e6.txt.gz");
    assertTrue(
        assertThrows(ModelLoadException.class, () -> ClipBpeTokenizer.fromTokenizerJson(json))
            .getMessage()
            .contains(json.toString()));
    assertTrue(
        assertThrows(ModelLoadException.class, () -> ClipBpeTokenizer.fromMergesFile(gz))
            .getMessage()
            .contains(gz.toString()));
  }

  @Test
  void merges_file_that_is_not_gzip_is_refused() throws IOException {
    Path file = dir.resolve("bpe_simple_vocab_16e6.txt.gz");
    Files.writeString(file, "#version: 0.2\ni n\nt h\n");
    ModelLoadException e =
        assertThrows(ModelLoadException.class, () -> ClipBpeTokenizer.fromMergesFile(file));
    assertTrue(e.getMessage().contains("gzip"), e.getMessage());
  }

  static void assertSameIds(TextTokenizer expected, TextTokenizer actual, List<String> texts) {
    for (String text : texts) {
      for (int maxLength : new int[] {Integer.MAX_VALUE, 77, 5}) {
        assertArrayEquals(
            expected.encode(text, maxLength),
            actual.encode(text, maxLength),
            TextFixtures.label(text) + " at maxLength " + maxLength);
      }
    }
  }

  /** A tokenizer.json in Hugging Face's CLIP layout (the parts the loader reads). */
  private Path writeHfJson(Path mergesFile, boolean pairMerges, Consumer<ObjectNode> edit)
      throws IOException {
    ClipBpeTokenizer.Vocabulary vocabulary = ClipBpeTokenizer.readMergesFile(mergesFile);
    ObjectNode root = JSON.createObjectNode();
    root.put("version", "1.0");
    ArrayNode added = root.putArray("added_tokens");
    for (String special : List.of("<|startoftext|>", "<|endoftext|>")) {
      added
          .addObject()
          .put("id", vocabulary.ids().get(special))
          .put("content", special)
          .put("special", true);
    }
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE").put("end_of_word_suffix", "</w>").put("continuing_subword_prefix", "");
    ObjectNode vocab = model.putObject("vocab");
    for (Map.Entry<String, Integer> entry : vocabulary.ids().entrySet()) {
      vocab.put(entry.getKey(), entry.getValue());
    }
    ArrayNode merges = model.putArray("merges");
    for (String[] merge : vocabulary.merges()) {
      if (pairMerges) {
        merges.addArray().add(merge[0]).add(merge[1]);
      } else {
        merges.add(merge[0] + " " + merge[1]);
      }
    }
    edit.accept(root);
    Path file = dir.resolve("tokenizer.json");
    Files.writeString(file, JSON.writeValueAsString(root), StandardCharsets.UTF_8);
    return file;
  }

  private Path copyResource(String name) throws IOException {
    Path target = dir.resolve(name);
    try (InputStream in = getClass().getResourceAsStream(name)) {
      assertTrue(in != null, "missing test resource " + name);
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }
}
