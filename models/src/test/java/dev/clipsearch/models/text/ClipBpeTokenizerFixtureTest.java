package dev.clipsearch.models.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CLIP tokenizer against every case of {@code shared/fixtures/clip-reference/tokenizer.json}.
 */
class ClipBpeTokenizerFixtureTest {

  private static ClipBpeTokenizer tokenizer;

  @BeforeAll
  static void load() {
    tokenizer = ClipBpeTokenizer.fromMergesFile(TextFixtures.clipVocab());
  }

  static List<Named<JsonNode>> cases() {
    JsonNode fixtures = TextFixtures.clipFixtures();
    List<Named<JsonNode>> cases = new ArrayList<>();
    for (JsonNode c : fixtures.get("cases")) {
      cases.add(Named.of(TextFixtures.label(c.get("text").asText()), c));
    }
    return cases;
  }

  @ParameterizedTest
  @MethodSource("cases")
  void untruncated_ids_match_reference(JsonNode c) {
    int[] expected = TextFixtures.ids(c.get("ids"));
    assertArrayEquals(expected, tokenizer.encode(c.get("text").asText(), Integer.MAX_VALUE));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void context_77_ids_match_reference(JsonNode c) {
    int contextLength = TextFixtures.clipFixtures().get("context_length").asInt();
    assertEquals(77, contextLength);
    int[] expected = TextFixtures.ids(c.get("ids_context77_truncated"));
    assertArrayEquals(expected, tokenizer.encode(c.get("text").asText(), contextLength));
  }
}
