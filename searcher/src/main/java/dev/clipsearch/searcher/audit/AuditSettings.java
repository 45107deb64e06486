package dev.clipsearch.searcher.audit;

import java.util.List;

/**
 * What a catalog audit looks for and how sure it must be, built once by the command line.
 *
 * @param duplicateThreshold two images of different products are near-duplicates when the cosine of
 *     their stored vectors is at least this (in (0, 1])
 * @param neighbours how many nearest products the HNSW search returns per image when looking for
 *     near-duplicates (a duplicate group larger than this is still found whole, through union-find)
 * @param categoryMargin a product is reported when the predicted category's probability exceeds the
 *     stored category's by more than this (in [0, 1))
 * @param placeholderMargin an image is reported when the best placeholder prompt's probability
 *     exceeds that of the product's title and of every category by more than this (in [0, 1))
 * @param categoryPrompt the text each category is encoded as, {@code {}} standing for its last
 *     level ({@code "a photo of {}"} makes {@code "a photo of Shoes"} of {@code "Clothing >
 *     Shoes"})
 * @param placeholderPrompts what a placeholder image looks like, in words
 * @param limit at most this many entries per section in the report (counts cover all)
 */
public record AuditSettings(
    double duplicateThreshold,
    int neighbours,
    double categoryMargin,
    double placeholderMargin,
    String categoryPrompt,
    List<String> placeholderPrompts,
    int limit) {

  /**
   * Descriptions of a missing product photo: blank or plain images, and the "no image" tiles shops
   * put in their place. They compete with the product's title and the catalog's categories.
   */
  public static final List<String> PLACEHOLDER_PROMPTS =
      List.of(
          "a blank image",
          "image not available",
          "a white empty square",
          "a plain white background",
          "an empty gray rectangle",
          "no photo",
          "coming soon");

  /** The defaults of {@code clipsearch audit}. */
  public static AuditSettings defaults() {
    return new AuditSettings(0.95, 8, 0.2, 0.2, "a photo of {}", PLACEHOLDER_PROMPTS, 200);
  }

  public AuditSettings {
    if (!(duplicateThreshold > 0 && duplicateThreshold <= 1)) {
      throw new IllegalArgumentException(
          "duplicate threshold must be in (0, 1], got " + duplicateThreshold);
    }
    if (neighbours < 1 || neighbours > 1000) {
      throw new IllegalArgumentException("neighbours must be 1 to 1000, got " + neighbours);
    }
    if (!(categoryMargin >= 0 && categoryMargin < 1)) {
      throw new IllegalArgumentException(
          "category margin must be in [0, 1), got " + categoryMargin);
    }
    if (!(placeholderMargin >= 0 && placeholderMargin < 1)) {
      throw new IllegalArgumentException(
          "placeholder margin must be in [0, 1), got " + placeholderMargin);
    }
    if (categoryPrompt == null || !categoryPrompt.contains("{}")) {
      throw new IllegalArgumentException(
          "category prompt must contain {} for the category, got " + categoryPrompt);
    }
    placeholderPrompts = List.copyOf(placeholderPrompts);
    if (placeholderPrompts.isEmpty()) {
      throw new IllegalArgumentException("at least one placeholder prompt is needed");
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
  }

  public AuditSettings withDuplicateThreshold(double threshold) {
    return new AuditSettings(
        threshold,
        neighbours,
        categoryMargin,
        placeholderMargin,
        categoryPrompt,
        placeholderPrompts,
        limit);
  }

  public AuditSettings withMargins(double category, double placeholder) {
    return new AuditSettings(
        duplicateThreshold,
        neighbours,
        category,
        placeholder,
        categoryPrompt,
        placeholderPrompts,
        limit);
  }

  public AuditSettings withLimit(int newLimit) {
    return new AuditSettings(
        duplicateThreshold,
        neighbours,
        categoryMargin,
        placeholderMargin,
        categoryPrompt,
        placeholderPrompts,
        newLimit);
  }

  public AuditSettings withCategoryPrompt(String prompt) {
    return new AuditSettings(
        duplicateThreshold,
        neighbours,
        categoryMargin,
        placeholderMargin,
        prompt,
        placeholderPrompts,
        limit);
  }

  /** The prompt of a category path: {@link #categoryPrompt} around its last level. */
  public String promptFor(String categoryPath) {
    String[] levels = categoryPath.split(">");
    return categoryPrompt.replace("{}", levels[levels.length - 1].strip());
  }
}
