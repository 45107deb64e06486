package dev.clipsearch.models.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CLIP tokenizer against {@code clip-bpe-reference.json}: texts beyond the shared fixtures
 * (product queries, HTML references, non-Latin scripts, emoji, whitespace oddities, context
 * boundaries), tokenized by {@code models/reference/clip_tokenize_reference.py}, a step-by-step
 * Python port of OpenAI's {@code simple_tokenizer} with NFC normalization. Each case also pins the
 * cleaned text and the split, so a mismatch points at its step.
 */
class ClipBpeTokenizerReferenceTest {

  private static final int CONTEXT = 77;
  private static JsonNode reference;
  private static ClipBpeTokenizer tokenizer;

  @BeforeAll
  static void load() {
    reference = TextFixtures.resource("clip-bpe-reference.json");
    tokenizer = ClipBpeTokenizer.fromMergesFile(TextFixtures.clipVocab());
  }

  static List<Named<JsonNode>> cases() {
    List<Named<JsonNode>> cases = new ArrayList<>();
    for (JsonNode c : TextFixtures.resource("clip-bpe-reference.json").get("cases")) {
      cases.add(Named.of(c.get("name").asText(), c));
    }
    return cases;
  }

  static List<Named<JsonNode>> htmlCases() {
    List<Named<JsonNode>> cases = new ArrayList<>();
    for (JsonNode c : TextFixtures.resource("clip-bpe-reference.json").get("html_unescape")) {
      cases.add(Named.of(TextFixtures.label(c.get("input").asText()), c));
    }
    return cases;
  }

  @ParameterizedTest
  @MethodSource("cases")
  void cleaned_text_matches_reference(JsonNode c) {
    assertEquals(c.get("cleaned").asText(), ClipTextCleaner.clean(c.get("text").asText()));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void split_matches_reference(JsonNode c) {
    List<String> expected = new ArrayList<>();
    c.get("words").forEach(w -> expected.add(w.asText()));
    List<String> words = new ArrayList<>();
    Matcher matcher = ClipTextCleaner.words(ClipTextCleaner.clean(c.get("text").asText()));
    while (matcher.find()) {
      words.add(matcher.group());
    }
    assertEquals(expected, words);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void untruncated_ids_match_reference(JsonNode c) {
    assertArrayEquals(
        TextFixtures.ids(c.get("ids")),
        tokenizer.encode(c.get("text").asText(), Integer.MAX_VALUE));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void context_77_ids_match_reference(JsonNode c) {
    assertArrayEquals(
        TextFixtures.ids(c.get("ids_context77_truncated")),
        tokenizer.encode(c.get("text").asText(), CONTEXT));
  }

  @ParameterizedTest
  @MethodSource("htmlCases")
  void html_unescape_matches_python(JsonNode c) {
    assertEquals(c.get("output").asText(), HtmlUnescaper.unescape(c.get("input").asText()));
  }

  @Test
  void text_of_76_ids_is_kept_whole_at_context_77() {
    int[] full = referenceIds("boundary_76_ids");
    assertEquals(76, full.length);
    assertArrayEquals(full, tokenizer.encode(text("boundary_76_ids"), CONTEXT));
  }

  @Test
  void text_of_77_ids_fills_context_77_exactly() {
    int[] full = referenceIds("boundary_77_ids");
    assertEquals(77, full.length);
    assertArrayEquals(full, tokenizer.encode(text("boundary_77_ids"), CONTEXT));
  }

  @Test
  void text_of_78_ids_is_cut_to_77_ending_with_end_token() {
    int[] full = referenceIds("boundary_78_ids");
    assertEquals(78, full.length);
    int[] ids = tokenizer.encode(text("boundary_78_ids"), CONTEXT);
    assertEquals(77, ids.length);
    assertArrayEquals(Arrays.copyOf(full, 76), Arrays.copyOf(ids, 76));
    assertEquals(reference.get("eot").asInt(), ids[76]);
  }

  @Test
  void cut_inside_a_multi_token_word_keeps_its_first_token_then_the_end_token() {
    int[] full = referenceIds("boundary_cut_inside_word");
    // 75 one-token words and a word of three or more tokens: the cut falls after its first token.
    assertTrue(full.length >= 79, "the reference case no longer cuts inside the last word");
    int[] ids = tokenizer.encode(text("boundary_cut_inside_word"), CONTEXT);
    assertEquals(77, ids.length);
    assertArrayEquals(Arrays.copyOf(full, 76), Arrays.copyOf(ids, 76));
    assertEquals(reference.get("eot").asInt(), ids[76]);
  }

  private static JsonNode named(String name) {
    for (JsonNode c : reference.get("cases")) {
      if (c.get("name").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no case " + name + " in clip-bpe-reference.json");
  }

  private static String text(String name) {
    return named(name).get("text").asText();
  }

  private static int[] referenceIds(String name) {
    return TextFixtures.ids(named(name).get("ids"));
  }
}
