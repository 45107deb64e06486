package dev.clipsearch.models.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.models.ModelLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizersTest {

  @TempDir Path dir;

  @Test
  void gzip_merges_file_loads_the_clip_tokenizer() {
    TextTokenizer tokenizer = Tokenizers.load(TextFixtures.clipVocab());
    assertInstanceOf(ClipBpeTokenizer.class, tokenizer);
  }

  @Test
  void bpe_tokenizer_json_loads_the_clip_tokenizer() throws IOException {
    Path json = copy("tiny-clip-tokenizer.json", "tokenizer.json");
    TextTokenizer tokenizer = Tokenizers.load(json);
    assertInstanceOf(ClipBpeTokenizer.class, tokenizer);
    assertArrayEquals(
        ClipBpeTokenizer.fromTokenizerJson(json).encode("a photo of a cat", 77),
        tokenizer.encode("a photo of a cat", 77));
  }

  @Test
  void wordpiece_tokenizer_json_loads_the_wordpiece_tokenizer() {
    Path json = WordPieceTokenizerTest.copyMinilmTokenizer(dir);
    assertInstanceOf(WordPieceTokenizer.class, Tokenizers.load(json));
  }

  @Test
  void merges_file_is_recognised_by_content_not_name() throws IOException {
    Path renamed = dir.resolve("vocab.bin");
    Files.copy(TextFixtures.clipVocab(), renamed);
    assertInstanceOf(ClipBpeTokenizer.class, Tokenizers.load(renamed));
  }

  @Test
  void word_level_tokenizer_json_is_refused_naming_file_and_type() throws IOException {
    Path json = dir.resolve("tokenizer.json");
    Files.writeString(json, "{\"model\": {\"type\": \"WordLevel\", \"vocab\": {\"a\": 0}}}");
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> Tokenizers.load(json));
    assertTrue(e.getMessage().contains(json.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("WordLevel"), e.getMessage());
  }

  @Test
  void a_unigram_tokenizer_json_without_unk_id_is_refused_naming_the_field() throws IOException {
    Path json = dir.resolve("tokenizer.json");
    Files.writeString(json, "{\"model\": {\"type\": \"Unigram\", \"vocab\": [[\"a\", 0.0]]}}");
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> Tokenizers.load(json));
    assertTrue(e.getMessage().contains(json.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("unk_id"), e.getMessage());
  }

  @Test
  void file_that_is_neither_gzip_nor_json_is_refused_naming_it() throws IOException {
    Path file = dir.resolve("vocab.txt");
    Files.writeString(file, "[PAD]\n[UNK]\n[CLS]\n");
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> Tokenizers.load(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void missing_file_and_directory_are_refused_naming_them() {
    Path missing = dir.resolve("nothing-here.json");
    assertTrue(
        assertThrows(ModelLoadException.class, () -> Tokenizers.load(missing))
            .getMessage()
            .contains(missing.toString()));
    assertTrue(
        assertThrows(ModelLoadException.class, () -> Tokenizers.load(dir))
            .getMessage()
            .contains("directory"));
  }

  private Path copy(String resource, String name) throws IOException {
    Path target = dir.resolve(name);
    try (InputStream in = getClass().getResourceAsStream(resource)) {
      assertTrue(in != null, "missing test resource " + resource);
      Files.copy(in, target);
    }
    return target;
  }
}
