package dev.clipsearch.common.catalog;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One product of a catalog, as read from a JSON Lines or CSV line. Optional text fields are {@code
 * null} when absent; lists and the attribute map are never null.
 *
 * @param id unique, non-blank product id
 * @param title display title (BM25-analysed in the index)
 * @param description longer text (BM25-analysed)
 * @param brand brand name (keyword, facet)
 * @param category a path such as {@code Clothing > Shoes > Sneakers} (keyword per level, facet)
 * @param price price in {@code currency}, exactly as written; null when absent
 * @param currency ISO 4217 code or whatever the catalog uses
 * @param tags free keywords, in catalog order, without duplicates
 * @param url the product page
 * @param images image references as written: a path relative to the catalog, an absolute path, or
 *     an http(s) URL; at least one for a product to be indexed
 * @param attributes every other field of the line, kept for display: values are strings, numbers,
 *     booleans, lists or maps (from JSON), or strings (from CSV)
 */
public record Product(
    String id,
    String title,
    String description,
    String brand,
    String category,
    BigDecimal price,
    String currency,
    List<String> tags,
    String url,
    List<String> images,
    Map<String, Object> attributes) {

  /** The separator between category levels. */
  public static final String CATEGORY_SEPARATOR = ">";

  public Product {
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("product id must not be blank");
    }
    tags = List.copyOf(tags);
    images = List.copyOf(images);
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

  /**
   * The category's levels, trimmed, empty levels dropped: {@code ["Clothing", "Shoes",
   * "Sneakers"]}; empty when there is no category.
   */
  public List<String> categoryLevels() {
    return levelsOf(category);
  }

  /** The levels of a category path, as {@link #categoryLevels()} splits them. */
  public static List<String> levelsOf(String category) {
    if (category == null) {
      return List.of();
    }
    List<String> levels = new ArrayList<>();
    for (String level : category.split(CATEGORY_SEPARATOR, -1)) {
      String trimmed = level.strip();
      if (!trimmed.isEmpty()) {
        levels.add(trimmed);
      }
    }
    return List.copyOf(levels);
  }

  /**
   * Every ancestor path of the category including itself, normalized to {@code " > "} separators:
   * {@code ["Clothing", "Clothing > Shoes", "Clothing > Shoes > Sneakers"]}. A filter on any of
   * them matches the product (category prefix filtering).
   */
  public List<String> categoryAncestors() {
    return ancestorsOf(category);
  }

  /** The ancestor paths of a category path, as {@link #categoryAncestors()} lists them. */
  public static List<String> ancestorsOf(String category) {
    List<String> levels = levelsOf(category);
    List<String> paths = new ArrayList<>(levels.size());
    for (int i = 1; i <= levels.size(); i++) {
      paths.add(String.join(" " + CATEGORY_SEPARATOR + " ", levels.subList(0, i)));
    }
    return List.copyOf(paths);
  }

  /** The normalized category path, or null: levels joined with {@code " > "}. */
  public String normalizedCategory() {
    List<String> paths = categoryAncestors();
    return paths.isEmpty() ? null : paths.get(paths.size() - 1);
  }

  @Override
  public String toString() {
    return "Product[id="
        + id
        + ", title="
        + title
        + ", images="
        + images
        + ", attributes="
        + Arrays.toString(attributes.keySet().toArray())
        + "]";
  }
}
