package dev.clipsearch.models.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link WordPieceTokenizer} under the normalizer of cased multilingual BERTs
 * (clip-ViT-B-32-multilingual-v1, bert-base-multilingual-cased: no lower-casing, accents kept, CJK
 * ideographs split) against ids written by the Hugging Face {@code tokenizers} library ({@code
 * models/reference/wordpiece_reference.py}) for the tokenizer.json the generator gives the {@code
 * st} twin: German, Japanese, accented and mixed-case texts beside the MiniLM test's cases.
 */
class CasedMultilingualWordPieceTest {

  static final String TOKENIZER = "wordpiece-cased-multilingual-tokenizer.json";

  @TempDir static Path dir;
  private static WordPieceTokenizer tokenizer;

  @BeforeAll
  static void load() throws IOException {
    Path file = dir.resolve("tokenizer.json");
    try (InputStream in = CasedMultilingualWordPieceTest.class.getResourceAsStream(TOKENIZER)) {
      assertTrue(in != null, TOKENIZER + " is not on the test classpath");
      Files.copy(in, file);
    }
    tokenizer = WordPieceTokenizer.fromTokenizerJson(file);
  }

  static List<Named<JsonNode>> cases() {
    List<Named<JsonNode>> cases = new ArrayList<>();
    for (JsonNode c :
        TextFixtures.resource("wordpiece-cased-multilingual-reference.json").get("cases")) {
      cases.add(Named.of(c.get("name").asText(), c));
    }
    return cases;
  }

  @ParameterizedTest
  @MethodSource("cases")
  void untruncated_ids_match_tokenizers_library(JsonNode c) {
    assertArrayEquals(
        TextFixtures.ids(c.get("ids")),
        tokenizer.encode(c.get("text").asText(), Integer.MAX_VALUE),
        c.get("text").asText());
  }

  @ParameterizedTest
  @MethodSource("cases")
  void ids_truncated_to_128_and_512_match_tokenizers_library(JsonNode c) {
    for (int length : new int[] {128, 512}) {
      assertArrayEquals(
          TextFixtures.ids(c.get("ids_truncated_" + length)),
          tokenizer.encode(c.get("text").asText(), length),
          c.get("text").asText() + " cut to " + length);
    }
  }
}
