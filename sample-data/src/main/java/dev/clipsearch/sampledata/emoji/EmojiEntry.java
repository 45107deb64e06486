package dev.clipsearch.sampledata.emoji;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One emoji of the emojibase data set, in its default (no skin tone) form.
 *
 * @param label the CLDR short name ({@code red apple})
 * @param emoji the fully qualified emoji string
 * @param tags CLDR keywords ({@code apple, fruit, red})
 * @param group emojibase group key ({@code food-drink})
 * @param subgroup emojibase subgroup key ({@code food-fruit})
 * @param order emojibase's sort order
 */
public record EmojiEntry(
    String label, String emoji, List<String> tags, String group, String subgroup, int order) {

  private static final String VARIATION_SELECTOR_16 = "fe0f";

  public EmojiEntry {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(emoji, "emoji");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(subgroup, "subgroup");
    tags = List.copyOf(tags);
    if (emoji.isEmpty()) {
      throw new IllegalArgumentException("empty emoji for '" + label + "'");
    }
  }

  /**
   * The code points in lowercase hex joined by {@code -} ({@code 1f576-fe0f}), the way emoji image
   * files are named.
   */
  public String codePoints() {
    return emoji.codePoints().mapToObj(Integer::toHexString).collect(Collectors.joining("-"));
  }

  /**
   * {@link #codePoints()} without the emoji variation selector U+FE0F, the name some image sets use
   * for the same emoji ({@code 1f576}).
   */
  public String codePointsWithoutVariationSelector() {
    return emoji
        .codePoints()
        .mapToObj(Integer::toHexString)
        .filter(cp -> !cp.equals(VARIATION_SELECTOR_16))
        .collect(Collectors.joining("-"));
  }
}
