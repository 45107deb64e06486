package dev.clipsearch.sampledata.emoji;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.sampledata.SampleDataException;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmojibaseTest {

  @Test
  void reads_label_emoji_keywords_and_group_keys() {
    EmojiEntry apple = Fixtures.emoji("red apple");

    assertEquals("🍎", apple.emoji());
    assertEquals("food-drink", apple.group());
    assertEquals("food-fruit", apple.subgroup());
    assertEquals(List.of("apple", "diet", "food", "fruit", "health", "red", "ripe"), apple.tags());
  }

  @Test
  void leaves_out_emoji_without_a_group() {
    List<EmojiEntry> entries = Fixtures.emoji();

    assertFalse(entries.stream().anyMatch(e -> e.label().startsWith("regional indicator")));
    assertEquals(13, entries.size());
  }

  @Test
  void code_points_with_and_without_the_variation_selector() {
    EmojiEntry sunglasses = Fixtures.emoji("sunglasses");

    assertEquals("1f576-fe0f", sunglasses.codePoints());
    assertEquals("1f576", sunglasses.codePointsWithoutVariationSelector());
    assertEquals("1f1e9-1f1ea", Fixtures.emoji("flag: Germany").codePoints());
  }

  @Test
  void malformed_data_names_the_file() {
    SampleDataException e =
        assertThrows(
            SampleDataException.class,
            () -> Emojibase.parse("[{".getBytes(UTF_8), Fixtures.resource("groups.json")));
    assertTrue(e.getMessage().contains("en/data.json"), e.getMessage());
  }

  @Test
  void an_unknown_subgroup_number_names_the_emoji() {
    byte[] data =
        "[{\"label\":\"mystery box\",\"emoji\":\"📦\",\"group\":7,\"subgroup\":999}]"
            .getBytes(UTF_8);

    SampleDataException e =
        assertThrows(
            SampleDataException.class,
            () -> Emojibase.parse(data, Fixtures.resource("groups.json")));
    assertTrue(e.getMessage().contains("mystery box"), e.getMessage());
    assertTrue(e.getMessage().contains("999"), e.getMessage());
  }
}
