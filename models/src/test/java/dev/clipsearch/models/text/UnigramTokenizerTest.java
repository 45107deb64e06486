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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link UnigramTokenizer} on a small SigLIP-shaped tokenizer.json (a SentencePiece Unigram model
 * trained on a few lines, with SigLIP's normalizers, Metaspace and {@code $A </s>}) against ids
 * that transformers' SiglipTokenizer steps give with SentencePiece itself, written by
 * models/reference/siglip_tokenizer_reference.py: accents, CJK, emoji, punctuation, odd spaces,
 * long and empty texts. Compared exactly.
 */
class UnigramTokenizerTest {

  private static final String DIR = "siglip/";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path shared;
  @TempDir Path dir;

  private static Path tokenizerJson;
  private static UnigramTokenizer tokenizer;
  private static JsonNode reference;

  @BeforeAll
  static void load() throws IOException {
    tokenizerJson = shared.resolve("tokenizer.json");
    try (InputStream in = UnigramTokenizerTest.class.getResourceAsStream(DIR + "tokenizer.json")) {
      assertTrue(in != null, "missing test resource " + DIR + "tokenizer.json");
      Files.copy(in, tokenizerJson);
    }
    tokenizer = UnigramTokenizer.fromTokenizerJson(tokenizerJson);
    reference = TextFixtures.resource(DIR + "reference-ids.json");
  }

  static List<Named<JsonNode>> cases() {
    List<Named<JsonNode>> cases = new ArrayList<>();
    for (JsonNode c : TextFixtures.resource(DIR + "reference-ids.json").get("cases")) {
      cases.add(
          Named.of(c.get("name").asText() + " " + TextFixtures.label(c.get("text").asText()), c));
    }
    return cases;
  }

  @ParameterizedTest
  @MethodSource("cases")
  void ids_match_sentencepiece_at_the_siglip_context(JsonNode c) {
    assertArrayEquals(
        TextFixtures.ids(c.get("ids")),
        tokenizer.encode(c.get("text").asText(), reference.get("max_length").asInt()));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void a_text_cut_short_keeps_its_first_pieces_and_the_end_token(JsonNode c) {
    int cut = reference.get("cut").asInt();
    assertArrayEquals(
        TextFixtures.ids(c.get("ids_cut_to_" + cut)),
        tokenizer.encode(c.get("text").asText(), cut));
  }

  @Test
  void the_end_token_closes_every_text_and_pads() {
    int eos = reference.get("eos_id").asInt();
    int[] ids = tokenizer.encode("", 64);
    assertArrayEquals(new int[] {eos}, ids);
    assertEquals(reference.get("pad_id").asInt(), tokenizer.padId());
  }

  @Test
  void loads_through_tokenizers_by_its_model_type() {
    TextTokenizer loaded = Tokenizers.load(tokenizerJson);
    assertTrue(loaded instanceof UnigramTokenizer, loaded.getClass().getName());
  }

  @Test
  void a_max_length_without_room_for_the_end_token_is_refused() {
    assertThrows(IllegalArgumentException.class, () -> tokenizer.encode("red", 1));
  }

  @Test
  void an_unsupported_normalizer_is_named_in_the_error() throws IOException {
    ObjectNode root = (ObjectNode) JSON.readTree(tokenizerJson.toFile());
    root.putObject("normalizer").put("type", "BertNormalizer");
    Path file = dir.resolve("tokenizer.json");
    JSON.writeValue(file.toFile(), root);
    ModelLoadException e =
        assertThrows(ModelLoadException.class, () -> UnigramTokenizer.fromTokenizerJson(file));
    assertTrue(e.getMessage().contains("BertNormalizer"), e.getMessage());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void byte_fallback_is_refused_rather_than_guessed() throws IOException {
    ObjectNode root = (ObjectNode) JSON.readTree(tokenizerJson.toFile());
    ((ObjectNode) root.get("model")).put("byte_fallback", true);
    Path file = dir.resolve("tokenizer.json");
    JSON.writeValue(file.toFile(), root);
    ModelLoadException e =
        assertThrows(ModelLoadException.class, () -> UnigramTokenizer.fromTokenizerJson(file));
    assertTrue(e.getMessage().contains("byte_fallback"), e.getMessage());
  }
}
