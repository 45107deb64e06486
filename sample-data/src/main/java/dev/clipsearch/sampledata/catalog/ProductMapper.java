package dev.clipsearch.sampledata.catalog;

import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.sampledata.emoji.EmojiEntry;
import dev.clipsearch.sampledata.emoji.ImageIndex;
import java.math.BigDecimal;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns one emoji into a product, or says why it is not one. Pure: the same entry, rules and image
 * indexes always give the same product, so ids, prices and brands are stable across builds.
 */
public final class ProductMapper {

  /** The currency of every price. */
  public static final String CURRENCY = "USD";

  /** Where images live relative to the catalog file: {@code images/<style>/<file>}. */
  public static final String IMAGES_DIR = "images";

  private static final Set<String> SMALL_WORDS =
      Set.of("a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with");

  private final CatalogRules rules;
  private final List<ImageIndex> imageSets;

  /**
   * @param rules the category, price and brand rules
   * @param imageSets the image sets to draw product images from, the primary style first
   */
  public ProductMapper(CatalogRules rules, List<ImageIndex> imageSets) {
    this.rules = rules;
    this.imageSets = List.copyOf(imageSets);
  }

  /** The outcome for one emoji. */
  public sealed interface Outcome {
    /** The emoji became {@code product}. */
    record Mapped(Product product) implements Outcome {}

    /** The emoji was skipped. */
    record Skipped(EmojiEntry entry, SkipReason reason) implements Outcome {}
  }

  /** The product made from {@code entry}, or why there is none. */
  public Outcome map(EmojiEntry entry) {
    return switch (rules.place(entry)) {
      case CatalogRules.Placement.NotForSale notForSale ->
          new Outcome.Skipped(entry, notForSale.reason());
      case CatalogRules.Placement.ForSale forSale -> {
        List<String> images = imagesOf(entry);
        yield images.isEmpty()
            ? new Outcome.Skipped(entry, SkipReason.NO_IMAGE)
            : new Outcome.Mapped(product(entry, forSale.category(), images));
      }
    };
  }

  private Product product(EmojiEntry entry, String category, List<String> images) {
    String id = slug(entry.label());
    String title = title(entry.label());
    String brand = brand(id, rules.brands(category));
    BigDecimal price = price(id, rules.priceRange(category));
    List<String> tags = tags(entry);
    return new Product(
        id,
        title,
        description(title, brand, category, tags),
        brand,
        category,
        price,
        CURRENCY,
        tags,
        null,
        images,
        Map.<String, Object>of(
            "emoji", entry.emoji(), "emoji_subgroup", entry.group() + "/" + entry.subgroup()));
  }

  private List<String> imagesOf(EmojiEntry entry) {
    List<String> images = new ArrayList<>();
    for (ImageIndex set : imageSets) {
      Optional<String> file = set.fileOf(entry);
      file.ifPresent(f -> images.add(imagePath(set, f)));
    }
    return images;
  }

  /** The path of an image file of {@code set} relative to the catalog file. */
  public static String imagePath(ImageIndex set, String file) {
    return IMAGES_DIR + "/" + set.style().id() + "/" + file;
  }

  /**
   * A stable id from an emoji name: accents and apostrophes dropped, lowercase ASCII letters and
   * digits joined by single dashes ({@code woman’s hat} becomes {@code womans-hat}).
   */
  public static String slug(String label) {
    String ascii =
        Normalizer.normalize(label, Normalizer.Form.NFKD)
            .replaceAll("\\p{M}+", "")
            .replaceAll("['’]", "")
            .toLowerCase(Locale.ROOT);
    String slug = ascii.replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    if (slug.isEmpty()) {
      throw new IllegalArgumentException("no id can be made from the name '" + label + "'");
    }
    return slug;
  }

  /**
   * A display title: every word capitalized, also after a hyphen, except short joining words inside
   * the title ({@code ear of corn} becomes {@code Ear of Corn}).
   */
  static String title(String label) {
    String[] words = label.strip().split("\\s+");
    StringBuilder title = new StringBuilder();
    for (int i = 0; i < words.length; i++) {
      if (i > 0) {
        title.append(' ');
      }
      String word = words[i];
      if (i > 0 && SMALL_WORDS.contains(word)) {
        title.append(word);
        continue;
      }
      String[] parts = word.split("-", -1);
      for (int j = 0; j < parts.length; j++) {
        if (j > 0) {
          title.append('-');
        }
        title.append(capitalize(parts[j]));
      }
    }
    return title.toString();
  }

  private static String capitalize(String part) {
    if (part.isEmpty()) {
      return part;
    }
    int first = part.codePointAt(0);
    return new StringBuilder()
        .appendCodePoint(Character.toTitleCase(first))
        .append(part, Character.charCount(first), part.length())
        .toString();
  }

  /** The keywords, lowercased and without repeats; the name's words when there are none. */
  static List<String> tags(EmojiEntry entry) {
    Set<String> tags = new LinkedHashSet<>();
    for (String tag : entry.tags()) {
      String t = tag.strip().toLowerCase(Locale.ROOT);
      if (!t.isEmpty()) {
        tags.add(t);
      }
    }
    if (tags.isEmpty()) {
      tags.addAll(List.of(entry.label().toLowerCase(Locale.ROOT).split("\\s+")));
    }
    return List.copyOf(tags);
  }

  /**
   * {@code Red Apple by Plumtree Pantry, from our Fruit range: apple, fruit, red.}: the title,
   * brand, the category's last level and the keywords.
   */
  static String description(String title, String brand, String category, List<String> tags) {
    int cut = category.lastIndexOf(CatalogRules.PATH_SEPARATOR);
    String leaf =
        cut < 0 ? category : category.substring(cut + CatalogRules.PATH_SEPARATOR.length());
    return title
        + " by "
        + brand
        + ", from our "
        + leaf
        + " range: "
        + String.join(", ", tags)
        + ".";
  }

  /** The price of product {@code id}: a seeded draw in the category's range. */
  static BigDecimal price(String id, PriceRange range) {
    return range.priceAt(SeededDraws.unitFraction("price", id));
  }

  /** The brand of product {@code id}: a seeded pick from the category's brands. */
  static String brand(String id, List<String> brands) {
    return brands.get(SeededDraws.index("brand", id, brands.size()));
  }
}
